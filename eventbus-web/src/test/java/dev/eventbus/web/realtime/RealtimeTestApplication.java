package dev.eventbus.web.realtime;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with the real-time bridge: four users who log in with HTTP Basic, and a
 * room only alice may join.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class RealtimeTestApplication {

	static final String PASSWORD = "secret";

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(user("alice"), user("bob"), user("carol"), user("dave"));
	}

	private static org.springframework.security.core.userdetails.UserDetails user(String name) {
		return User.withUsername(name).password("{noop}" + PASSWORD).roles("USER").build();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}

	@Bean
	RoomAuthorizer roomAuthorizer() {
		return (user, room) -> !room.equals("secret") || user.getName().equals("alice");
	}

}
