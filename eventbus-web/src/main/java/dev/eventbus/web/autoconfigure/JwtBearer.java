package dev.eventbus.web.autoconfigure;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.util.ClassUtils;

/**
 * JWT bearer tokens on the ingestion endpoint, for an application that is an OAuth2
 * resource server (it has a {@link JwtDecoder}, usually from
 * {@code spring.security.oauth2.resourceserver.jwt.*}): a token's scope {@code x} is the
 * authority {@code SCOPE_x}. Only loaded when Spring Security's resource server is on the
 * classpath.
 */
final class JwtBearer {

	private static final String DECODER = "org.springframework.security.oauth2.jwt.JwtDecoder";

	private JwtBearer() {
	}

	static boolean isAvailable(ApplicationContext context) {
		return ClassUtils.isPresent(DECODER, JwtBearer.class.getClassLoader()) && hasDecoder(context);
	}

	private static boolean hasDecoder(ApplicationContext context) {
		return context.getBeanNamesForType(JwtDecoder.class).length > 0;
	}

	static void apply(HttpSecurity http, AuthenticationEntryPoint unauthorized) {
		http.oauth2ResourceServer(
				(server) -> server.jwt(Customizer.withDefaults()).authenticationEntryPoint(unauthorized));
	}

}
