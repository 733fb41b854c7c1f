package dev.eventbus.autoconfigure.health;

import java.util.List;
import java.util.Map;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts the {@code eventbus} health contributor in the readiness group by default, so that
 * {@code /actuator/health/readiness} reports out of service while the bus cannot deliver: adds
 * {@value #INCLUDE}{@code =readinessState,eventbus} as the property source of lowest precedence.
 * <p>
 * Does nothing when the application sets the membership of the readiness group itself (include or
 * exclude, in any form), or when either member would not exist, since Spring Boot fails start-up on
 * a group member that does not exist: without the health and actuator classes, with
 * {@code eventbus.enabled=false}, {@code management.health.eventbus.enabled=false} (or
 * {@code management.health.defaults.enabled=false}), {@code management.endpoint.health.probes.enabled=false},
 * or with the event bus auto-configuration excluded.
 */
public final class EventBusReadinessEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Property that lists the members of the readiness group. */
	public static final String INCLUDE = "management.endpoint.health.group.readiness.include";

	/** Property that lists contributors left out of the readiness group. */
	public static final String EXCLUDE = "management.endpoint.health.group.readiness.exclude";

	/** Name of the property source added. */
	public static final String PROPERTY_SOURCE_NAME = "eventbusReadinessGroup";

	private static final String MEMBERS = "readinessState,eventbus";

	private static final List<String> REQUIRED_CLASSES = List.of(
			"org.springframework.boot.health.contributor.HealthIndicator",
			"org.springframework.boot.actuate.endpoint.annotation.Endpoint");

	private static final List<String> AUTO_CONFIGURATIONS = List.of(EventBusAutoConfiguration.class.getName(),
			"dev.eventbus.autoconfigure.health.EventBusHealthContributorAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		for (String requiredClass : REQUIRED_CLASSES) {
			if (!ClassUtils.isPresent(requiredClass, classLoader)) {
				return;
			}
		}
		Binder binder = Binder.get(environment);
		if (isMembershipSet(binder) || !isContributorPresent(binder)) {
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(INCLUDE, MEMBERS)));
	}

	private boolean isMembershipSet(Binder binder) {
		return binder.bind(INCLUDE, Bindable.setOf(String.class)).isBound()
				|| binder.bind(EXCLUDE, Bindable.setOf(String.class)).isBound();
	}

	private boolean isContributorPresent(Binder binder) {
		boolean defaultsEnabled = isEnabled(binder, "management.health.defaults.enabled", true);
		List<String> excluded = binder.bind("spring.autoconfigure.exclude", Bindable.listOf(String.class))
			.orElse(List.of());
		return isEnabled(binder, "eventbus.enabled", true)
				&& isEnabled(binder, "management.health.eventbus.enabled", defaultsEnabled)
				&& isEnabled(binder, "management.endpoint.health.probes.enabled", true)
				&& excluded.stream().map(String::trim).noneMatch(AUTO_CONFIGURATIONS::contains);
	}

	private boolean isEnabled(Binder binder, String property, boolean defaultValue) {
		return binder.bind(property, Boolean.class).orElse(defaultValue);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
