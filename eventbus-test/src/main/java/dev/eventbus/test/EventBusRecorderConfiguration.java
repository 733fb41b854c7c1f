package dev.eventbus.test;

import dev.eventbus.runtime.EventBus;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The recorder of {@link AutoConfigureEventBusRecorder}: every
 * {@code EventBusInterceptor} bean reaches the bus, and the recorder reads the bus's
 * handlers when a test asks for one by id.
 */
@Configuration(proxyBeanMethods = false)
class EventBusRecorderConfiguration {

	@Bean
	EventBusRecorder eventBusRecorder(ObjectProvider<EventBus> eventBus) {
		return new EventBusRecorder(() -> eventBus.getObject().handlers());
	}

}
