package dev.eventbus.autoconfigure.endpoint;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.runtime.EventBus;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link EventBusEndpoint}, when the
 * endpoint is available (access not {@code none} and exposed over HTTP or JMX).
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(EventBus.class)
public final class EventBusEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	EventBusEndpoint eventBusEndpoint(EventBus eventBus) {
		return new EventBusEndpoint(eventBus);
	}

}
