package dev.eventbus.autoconfigure.health;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns Spring Boot's Redis health indicator off, as a default, in applications that have Redis on
 * the class path only because the starter brings every adapter's client: {@code eventbus.adapter}
 * is not {@code redis} and no {@code spring.data.redis.*} connection property is set. Without it such
 * an application would report DOWN, trying a Redis nobody configured on every health check. An
 * application that sets {@code management.health.redis.enabled} or configures a Redis connection
 * keeps Boot's behaviour. The default is added last, so any property source overrides it.
 */
public final class UnusedRedisHealthEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The property this post-processor defaults. */
	public static final String REDIS_HEALTH = "management.health.redis.enabled";

	/** Name of the property source holding the default. */
	public static final String PROPERTY_SOURCE_NAME = "eventbusUnusedRedisHealth";

	private static final List<String> CONNECTION_PROPERTIES = List.of("spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.url", "spring.data.redis.username",
			"spring.data.redis.password", "spring.data.redis.database", "spring.data.redis.sentinel.master",
			"spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(REDIS_HEALTH)) {
			return;
		}
		String adapter = Binder.get(environment).bind("eventbus.adapter", String.class).orElse("memory");
		if ("redis".equalsIgnoreCase(adapter.trim())) {
			return;
		}
		for (String property : CONNECTION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return;
			}
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(REDIS_HEALTH, "false")));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
