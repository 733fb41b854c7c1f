package dev.eventbus.autoconfigure.metrics;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.runtime.EventBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link EventBusMetrics}
 * meters, bound to every auto-configured meter registry. The {@code eventbus.publish} and
 * {@code eventbus.handle} timers come from the bus's observations, through the
 * observation registry's meter handler.
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MeterBinder.class })
@ConditionalOnBean({ EventBus.class, MeterRegistry.class })
public final class EventBusMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventBusMetrics eventBusMetrics(EventBus eventBus) {
		return new EventBusMetrics(eventBus);
	}

}
