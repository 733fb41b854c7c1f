package dev.eventbus.benchmarks;

import java.util.concurrent.CountDownLatch;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventType;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;
import dev.eventbus.runtime.HandlerDefaults;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The publish-to-handler setups compared by {@link InMemoryBenchmark} and
 * {@link InMemoryComparison}, each with a handler that counts down the latch of the
 * current batch; the transactional ones ({@link OutboxBusTarget}, {@link ModulithTarget})
 * have files of their own.
 */
final class Setups {

	private Setups() {
	}

	static Target create(String name) {
		return switch (name) {
			case "eventbus" -> new BusTarget(Metrics.OBSERVATIONS, 1);
			case "eventbus-concurrency-4" -> new BusTarget(Metrics.OBSERVATIONS, 4);
			case "eventbus-no-metrics" -> new BusTarget(Metrics.NONE, 1);
			case "spring-sync" -> new SpringTarget(SyncConfig.class);
			case "spring-async" -> new SpringTarget(AsyncConfig.class);
			case "eventbus-outbox" -> new OutboxBusTarget();
			case "spring-modulith" -> new ModulithTarget();
			default -> throw new IllegalArgumentException("unknown target " + name);
		};
	}

	/**
	 * How the bus records metrics: the Spring Boot default (timers recorded directly),
	 * one Micrometer Observation per event with the meter handler (as with tracing on),
	 * or nothing.
	 */
	enum Metrics {

		OBSERVATIONS, NONE

	}

	/**
	 * A setup under test.
	 */
	interface Target extends AutoCloseable {

		void expect(CountDownLatch latch);

		void publish(int sequence);

		@Override
		void close();

	}

	/** The payload, the same for every setup. */
	@EventType("bench.happened")
	record Happened(int sequence) {
	}

	/** Counts handled events down. */
	static final class Counter {

		private volatile CountDownLatch latch = new CountDownLatch(0);

		void expect(CountDownLatch latch) {
			this.latch = latch;
		}

		void handled() {
			this.latch.countDown();
		}

	}

	static final class BusTarget implements Target {

		private final Counter counter = new Counter();

		private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

		private final EventBus bus;

		BusTarget(Metrics metrics, int concurrency) {
			EventBusBuilder builder = EventBus.builder()
				.adapter(this.adapter)
				.handlerDefaults(HandlerDefaults.DEFAULTS.withConcurrency(concurrency));
			if (metrics == Metrics.OBSERVATIONS) {
				builder.observationRegistry(dev.eventbus.benchmarks.BusTarget.observations());
			}
			this.bus = builder.build();
			this.bus.registerHandlers("handler", new BusHandler(this.counter));
			this.bus.start();
		}

		@Override
		public void expect(CountDownLatch latch) {
			this.counter.expect(latch);
		}

		@Override
		public void publish(int sequence) {
			this.bus.publisher().publish(new Happened(sequence));
		}

		@Override
		public void close() {
			this.bus.close();
			this.adapter.close();
		}

	}

	static final class BusHandler {

		private final Counter counter;

		BusHandler(Counter counter) {
			this.counter = counter;
		}

		@EventHandler
		void on(Happened event) {
			this.counter.handled();
		}

	}

	static final class SpringTarget implements Target {

		private final AnnotationConfigApplicationContext context;

		private final Counter counter;

		SpringTarget(Class<?> configuration) {
			this.context = new AnnotationConfigApplicationContext(configuration);
			this.counter = this.context.getBean(Counter.class);
		}

		@Override
		public void expect(CountDownLatch latch) {
			this.counter.expect(latch);
		}

		@Override
		public void publish(int sequence) {
			this.context.publishEvent(new Happened(sequence));
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SyncConfig {

		@Bean
		Counter counter() {
			return new Counter();
		}

		@Bean
		SyncListener listener(Counter counter) {
			return new SyncListener(counter);
		}

	}

	static class SyncListener {

		private final Counter counter;

		SyncListener(Counter counter) {
			this.counter = counter;
		}

		@EventListener
		public void on(Happened event) {
			this.counter.handled();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfig {

		@Bean
		Counter counter() {
			return new Counter();
		}

		@Bean
		AsyncListener listener(Counter counter) {
			return new AsyncListener(counter);
		}

		/**
		 * Spring Boot's default task executor shape: 8 core threads, unbounded queue.
		 * @return the executor
		 */
		@Bean
		ThreadPoolTaskExecutor taskExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(8);
			executor.setThreadNamePrefix("async-");
			return executor;
		}

	}

	static class AsyncListener {

		private final Counter counter;

		AsyncListener(Counter counter) {
			this.counter = counter;
		}

		@Async
		@EventListener
		public void on(Happened event) {
			this.counter.handled();
		}

	}

}
