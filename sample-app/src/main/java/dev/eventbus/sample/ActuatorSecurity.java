package dev.eventbus.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what over HTTP: reading the actuator (health, metrics, the event bus and its
 * dead letters) and the order API is open, as in a sample; changing state through the
 * actuator (replaying and purging dead letters) takes an operator, with HTTP Basic
 * ({@code spring.security.user.*}). CSRF protection is off: the API is JSON for
 * non-browser clients and keeps no session cookie.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurity {

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

}
