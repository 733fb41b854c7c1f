package dev.eventbus.autoconfigure.endpoint;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.runtime.EventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link EventBusEndpoint},
 * when the endpoint is available (access not {@code none} and exposed over HTTP or JMX).
 * Its replay and purge operations need
 * {@code management.endpoint.eventbus.access=unrestricted}; when they are opened up in an
 * application without Spring Security, a warning says so at start-up.
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(EventBus.class)
public final class EventBusEndpointAutoConfiguration {

	private static final Log logger = LogFactory.getLog(EventBusEndpointAutoConfiguration.class);

	private static final String ACCESS = "management.endpoint.eventbus.access";

	private static final String DEFAULT_ACCESS = "management.endpoints.access.default";

	private static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	EventBusEndpoint eventBusEndpoint(EventBus eventBus, Environment environment,
			ObjectProvider<EventBusEndpointContribution> contributions) {
		warnAboutUnsecuredWriteOperations(environment);
		return new EventBusEndpoint(eventBus, contributions.orderedStream().toList());
	}

	private static void warnAboutUnsecuredWriteOperations(Environment environment) {
		Binder binder = Binder.get(environment);
		Access access = binder.bind(ACCESS, Access.class)
			.orElseGet(() -> binder.bind(DEFAULT_ACCESS, Access.class).orElse(Access.READ_ONLY));
		if (access == Access.UNRESTRICTED && !ClassUtils.isPresent(SPRING_SECURITY, null)) {
			logger.warn("The eventbus endpoint can replay and purge dead letters (" + ACCESS
					+ "=unrestricted) and Spring Security is not on the class path: anyone who reaches the "
					+ "actuator can change them. Secure the actuator or keep the endpoint read-only");
		}
	}

}
