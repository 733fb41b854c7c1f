package dev.eventbus.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventType;
import dev.eventbus.autoconfigure.metrics.MicrometerEventTimings;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;
import dev.eventbus.runtime.EventBusObservations;
import dev.eventbus.runtime.EventTimings;
import dev.eventbus.runtime.HandlerDefaults;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The three publish-to-handler setups compared by {@link InMemoryBenchmark}, each with a handler
 * that counts down the latch of the current batch.
 */
final class Setups {

	private Setups() {
	}

	static Target create(String name) {
		return switch (name) {
			case "eventbus" -> new BusTarget(Metrics.TIMERS, 1);
			case "eventbus-concurrency-4" -> new BusTarget(Metrics.TIMERS, 4);
			case "eventbus-observed" -> new BusTarget(Metrics.OBSERVATIONS, 1);
			case "eventbus-no-metrics" -> new BusTarget(Metrics.NONE, 1);
			case "handoff-timed" -> new HandoffTarget(true);
			case "handoff" -> new HandoffTarget(false);
			case "spring-sync" -> new SpringTarget(SyncConfig.class);
			case "spring-async" -> new SpringTarget(AsyncConfig.class);
			default -> throw new IllegalArgumentException("unknown target " + name);
		};
	}

	/**
	 * How the bus records metrics: the Spring Boot default (timers recorded directly), one
	 * Micrometer Observation per event with the meter handler (as with tracing on), or nothing.
	 */
	enum Metrics {

		TIMERS, OBSERVATIONS, NONE

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

		private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(InMemoryAdapterSettings.DEFAULTS.withMaxThreads(Integer.getInteger("bench.memoryThreads", 64)));

		private final EventBus bus;

		BusTarget(Metrics metrics, int concurrency) {
			EventBusBuilder builder = EventBus.builder()
				.adapter(this.adapter)
				.handlerDefaults(HandlerDefaults.DEFAULTS.withConcurrency(concurrency));
			if (metrics == Metrics.TIMERS) {
				builder.timings(new MicrometerEventTimings(new SimpleMeterRegistry()));
			}
			if (metrics == Metrics.OBSERVATIONS) {
				ObservationRegistry observations = ObservationRegistry.create();
				observations.observationConfig()
					.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
				builder.observationRegistry(observations);
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

	/**
	 * Not a bus: the least any asynchronous in-process hand-off can do, to bound what a bus can
	 * reach on this machine. The publishing thread puts the payload in a single-producer,
	 * single-consumer ring (no envelope, id, routing, ordering by key or acknowledgement); one
	 * consumer thread takes it and calls the handler, spinning while the ring is empty and parking
	 * for at most 50 µs at a time. {@code handoff-timed} records the two timers the bus records, the
	 * same way ({@link MicrometerEventTimings} on a {@link SimpleMeterRegistry}, a
	 * {@link System#nanoTime()} pair around each side's work); {@code handoff} records nothing.
	 */
	static final class HandoffTarget implements Target {

		private static final int CAPACITY = 1 << 14;

		private final Counter counter = new Counter();

		private final Object[] ring = new Object[CAPACITY];

		private final AtomicLong head = new AtomicLong();

		private final AtomicLong tail = new AtomicLong();

		private final EventTimings.PublishTimer publishTimer;

		private final Timer handleTimer;

		private final boolean timed;

		private final Thread consumer;

		private volatile boolean closed;

		HandoffTarget(boolean timed) {
			this.timed = timed;
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			this.publishTimer = new MicrometerEventTimings(registry).publishTimer("handoff", "events", "bench.happened");
			this.handleTimer = Timer.builder(EventBusObservations.HANDLE)
				.tags("adapter", "handoff", "destination", "events", "type", "bench.happened", "group", "handler",
						"handler", "handler", "outcome", "success")
				.register(registry);
			this.consumer = new Thread(this::consume, "handoff-consumer");
			this.consumer.setDaemon(true);
			this.consumer.start();
		}

		@Override
		public void expect(CountDownLatch latch) {
			this.counter.expect(latch);
		}

		@Override
		public void publish(int sequence) {
			long start = this.timed ? System.nanoTime() : 0;
			long position = this.tail.get();
			while (position - this.head.get() >= CAPACITY) {
				Thread.onSpinWait();
			}
			this.ring[(int) position & (CAPACITY - 1)] = new Happened(sequence);
			this.tail.lazySet(position + 1);
			if (this.timed) {
				this.publishTimer.record("success", System.nanoTime() - start);
			}
		}

		private void consume() {
			long position = 0;
			int idle = 0;
			while (!this.closed) {
				if (position == this.tail.get()) {
					if (++idle < 1_000) {
						Thread.onSpinWait();
					}
					else {
						LockSupport.parkNanos(50_000);
					}
					continue;
				}
				idle = 0;
				int slot = (int) position & (CAPACITY - 1);
				Object payload = this.ring[slot];
				this.ring[slot] = null;
				this.head.lazySet(++position);
				long start = this.timed ? System.nanoTime() : 0;
				handle((Happened) payload);
				if (this.timed) {
					this.handleTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				}
			}
		}

		private void handle(Happened event) {
			this.counter.handled();
		}

		@Override
		public void close() {
			this.closed = true;
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
