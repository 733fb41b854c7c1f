package dev.eventbus.autoconfigure;

import dev.eventbus.autoconfigure.EventBusProperties.Memory;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-memory adapter, for {@code eventbus.adapter=memory} and when no adapter is set. Imported
 * by {@link EventBusAutoConfiguration}, like the configuration of every adapter; backs off when the
 * application defines its own {@link EventBusAdapter}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = InMemoryEventBusAdapter.NAME, matchIfMissing = true)
final class InMemoryEventBusAdapterConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	InMemoryEventBusAdapter inMemoryEventBusAdapter(EventBusProperties properties) {
		Memory memory = properties.getMemory();
		EventBusPropertiesValidator.validateMemory(memory);
		return new InMemoryEventBusAdapter(new InMemoryAdapterSettings(memory.getQueueCapacity(),
				memory.getPublishTimeout(), memory.getHistorySize(), memory.getMaxThreads(),
				memory.getThreadNamePrefix()));
	}

}
