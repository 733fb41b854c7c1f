package dev.eventbus.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what over HTTP: reading the actuator (health, metrics, the event bus and its
 * dead letters) and the order API is open, as in a sample; changing state through the
 * actuator (replaying and purging dead letters) takes the operator; publishing through
 * the event bus's HTTP ingestion endpoint ({@code POST /eventbus/events}, secured by the
 * endpoint's own filter chain) takes the supplier, who holds {@code eventbus.publish}.
 * The live page ({@code /}), {@code /me} and the real-time bridge's server-sent events
 * take a signed-in user: a customer ({@code alice}, {@code bob}, {@code declined}) or the
 * operator. Everyone logs in with HTTP Basic. CSRF protection is off: the API keeps no
 * session cookie, and its state changes take JSON or {@code DELETE}, which a page of
 * another site cannot send without a CORS preflight this application never allows.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurity {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/actuator/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole("OPERATOR")
				.requestMatchers(HttpMethod.GET, "/", "/index.html", "/me", "/me/**")
				.authenticated()
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}

	@Bean
	UserDetailsService users(@Value("${sample.users.operator-password}") String operatorPassword,
			@Value("${sample.users.supplier-password}") String supplierPassword,
			@Value("${sample.users.alice-password:alice}") String alicePassword,
			@Value("${sample.users.bob-password:bob}") String bobPassword,
			@Value("${sample.users.declined-password:declined}") String declinedPassword) {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}" + operatorPassword).roles("OPERATOR").build(),
				User.withUsername("supplier")
					.password("{noop}" + supplierPassword)
					.authorities("eventbus.publish")
					.build(),
				customer("alice", alicePassword), customer("bob", bobPassword), customer("declined", declinedPassword));
	}

	private static UserDetails customer(String name, String password) {
		return User.withUsername(name).password("{noop}" + password).roles("CUSTOMER").build();
	}

}
