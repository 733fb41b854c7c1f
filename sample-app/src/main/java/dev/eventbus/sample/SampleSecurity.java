package dev.eventbus.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what over HTTP: reading the actuator (health, metrics, the event bus and its
 * dead letters) and the order API is open, as in a sample; changing state through the
 * actuator (replaying and purging dead letters) takes the operator; publishing through
 * the event bus's HTTP ingestion endpoint ({@code POST /eventbus/events}, secured by the
 * endpoint's own filter chain) takes the supplier, who holds {@code eventbus.publish}.
 * Both log in with HTTP Basic. CSRF protection is off: the API is JSON for non-browser
 * clients and keeps no session cookie.
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
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}

	@Bean
	UserDetailsService users(@Value("${sample.users.operator-password}") String operatorPassword,
			@Value("${sample.users.supplier-password}") String supplierPassword) {
		return new InMemoryUserDetailsManager(
				User.withUsername("operator").password("{noop}" + operatorPassword).roles("OPERATOR").build(),
				User.withUsername("supplier")
					.password("{noop}" + supplierPassword)
					.authorities("eventbus.publish")
					.build());
	}

}
