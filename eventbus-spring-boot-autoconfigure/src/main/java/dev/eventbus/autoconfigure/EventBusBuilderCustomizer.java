package dev.eventbus.autoconfigure;

import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;

/**
 * Callback that customizes the {@link EventBusBuilder} of the auto-configured
 * {@link EventBus}, after the {@code eventbus.*} properties were applied. Customizers run
 * in {@link org.springframework.core.Ordered order} on the thread creating the bus.
 */
@FunctionalInterface
public interface EventBusBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(EventBusBuilder builder);

}
