package dev.eventbus.web.autoconfigure;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may call the ingestion endpoint: a filter chain of its own, for its path only, that
 * takes the application's users over HTTP Basic (and a JWT bearer when the application is
 * a resource server) and requires {@code eventbus.web.ingestion.security.authority}.
 * Refusals are RFC 9457 problems: 401 with {@code WWW-Authenticate}, 403. No session and
 * no CSRF token: callers are systems, not browsers.
 * <p>
 * A filter chain bean makes Spring Boot's default chain back off; when the application
 * declares no chain of its own, this configuration adds one that does what Boot's default
 * does (every other request authenticated, form login and HTTP Basic), so that enabling
 * the endpoint does not open the rest of the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnBooleanProperty(name = "eventbus.web.ingestion.security.enabled", matchIfMissing = true)
class IngestionSecurityConfiguration {

	/** Name of the endpoint's filter chain. */
	static final String CHAIN = "eventBusIngestionSecurityFilterChain";

	/** Name of the chain that stands in for Spring Boot's default. */
	static final String DEFAULT_CHAIN = "eventBusDefaultSecurityFilterChain";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Bean(CHAIN)
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	SecurityFilterChain eventBusIngestionSecurityFilterChain(HttpSecurity http, EventBusWebProperties properties,
			ApplicationContext context) {
		String authority = properties.getSecurity().getAuthority();
		if (JwtBearer.isAvailable(context)) {
			JwtBearer.apply(http, IngestionSecurityConfiguration::unauthorized);
		}
		http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(properties.getPath()))
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, properties.getPath())
				.hasAuthority(authority)
				.anyRequest()
				.denyAll())
			.httpBasic((basic) -> basic.authenticationEntryPoint(IngestionSecurityConfiguration::unauthorized))
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(IngestionSecurityConfiguration::unauthorized)
				.accessDeniedHandler((request, response, denied) -> problem(request, response, HttpStatus.FORBIDDEN,
						"The caller does not hold the authority '" + authority + "' (eventbus.web.ingestion"
								+ ".security.authority)")))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.csrf(AbstractHttpConfigurer::disable);
		return http.build();
	}

	@Bean(DEFAULT_CHAIN)
	@Conditional(NoOtherSecurityFilterChain.class)
	SecurityFilterChain eventBusDefaultSecurityFilterChain(HttpSecurity http) {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults());
		return http.build();
	}

	private static void unauthorized(HttpServletRequest request, HttpServletResponse response, Exception exception)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"eventbus\"");
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		problem(request, response, HttpStatus.UNAUTHORIZED, "The endpoint takes authenticated callers only");
	}

	private static void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String detail) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(JSON.writeValueAsBytes(problem));
	}

	/**
	 * Without Spring Security, a secured endpoint cannot start: fail at start-up saying
	 * so.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
	@ConditionalOnBooleanProperty(name = "eventbus.web.ingestion.security.enabled", matchIfMissing = true)
	static class Missing {

		Missing() {
			throw new IllegalStateException("eventbus.web.ingestion.security.enabled is true (the default) but "
					+ "Spring Security is not on the classpath: add spring-boot-starter-security, or set "
					+ "eventbus.web.ingestion.security.enabled=false to let anyone publish the allowed types");
		}

	}

}
