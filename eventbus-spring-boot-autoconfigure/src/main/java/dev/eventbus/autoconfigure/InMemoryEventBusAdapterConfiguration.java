package dev.eventbus.autoconfigure;

import dev.eventbus.autoconfigure.EventBusProperties.Memory;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * The in-memory adapter, for {@code eventbus.adapter=memory} and when no adapter is set.
 * Imported by {@link EventBusAutoConfiguration}, like the configuration of every adapter;
 * backs off when the application defines its own {@link EventBusAdapter}. Its handlers
 * run on an executor of their own, built with Spring Boot's task execution settings
 * ({@code spring.task.execution.*}): virtual threads when
 * {@code spring.threads.virtual.enabled} is set, else a thread pool.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = InMemoryEventBusAdapter.NAME, matchIfMissing = true)
final class InMemoryEventBusAdapterConfiguration {

	/** Name of the executor bean the in-memory adapter runs handlers on. */
	static final String TASK_EXECUTOR_BEAN_NAME = "eventBusMemoryTaskExecutor";

	private static final String THREAD_NAME_PREFIX = "eventbus-memory-";

	@Bean(name = TASK_EXECUTOR_BEAN_NAME)
	@ConditionalOnMissingBean(EventBusAdapter.class)
	AsyncTaskExecutor eventBusMemoryTaskExecutor(ObjectProvider<ThreadPoolTaskExecutorBuilder> threadPoolBuilder,
			ObjectProvider<SimpleAsyncTaskExecutorBuilder> simpleBuilder, Environment environment) {
		if (Threading.VIRTUAL.isActive(environment)) {
			return simpleBuilder.getIfAvailable(SimpleAsyncTaskExecutorBuilder::new)
				.virtualThreads(true)
				.threadNamePrefix(THREAD_NAME_PREFIX)
				.build();
		}
		return threadPoolBuilder.getIfAvailable(ThreadPoolTaskExecutorBuilder::new)
			.threadNamePrefix(THREAD_NAME_PREFIX)
			.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	InMemoryEventBusAdapter inMemoryEventBusAdapter(EventBusProperties properties,
			@Qualifier(TASK_EXECUTOR_BEAN_NAME) AsyncTaskExecutor executor) {
		Memory memory = properties.getMemory();
		EventBusPropertiesValidator.validateMemory(memory);
		return new InMemoryEventBusAdapter(new InMemoryAdapterSettings(memory.getQueueCapacity(),
				memory.getEnqueueTimeout(), memory.getHistorySize()), executor);
	}

}
