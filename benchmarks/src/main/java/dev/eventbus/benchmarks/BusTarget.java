package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.HandlerDefaults;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The bus on an adapter, as Spring Boot configures it (metrics recorded as Micrometer
 * timers): {@code publishAsync} of a {@link Sample} with a subject, and one
 * {@code @EventHandler} with the given concurrency that records each arrival.
 */
final class BusTarget implements Target {

	private final EventBus bus;

	private final EventBusAdapter adapter;

	private final LongSupplier requests;

	BusTarget(EventBusAdapter adapter, String destination, int concurrency, Recorder recorder, LongSupplier requests) {
		this.adapter = adapter;
		this.requests = requests;
		this.bus = EventBus.builder()
			.adapter(adapter)
			.defaultDestination(destination)
			.handlerDefaults(HandlerDefaults.DEFAULTS.withGroup("bench").withConcurrency(concurrency))
			.observationRegistry(observations())
			.build();
		this.bus.registerHandlers("sampleHandler", new SampleHandler(recorder));
		this.bus.start();
		awaitRunning(Duration.ofSeconds(60));
	}

	/**
	 * The timers a Spring Boot application with the actuator records, through Micrometer
	 * Observation.
	 */
	private static ObservationRegistry observations() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		return registry;
	}

	private void awaitRunning(Duration timeout) {
		Awaits.await(timeout,
				() -> this.bus.subscriptions()
					.stream()
					.map(SubscriptionView::state)
					.allMatch(SubscriptionState.RUNNING::equals),
				() -> "subscriptions not running: " + this.bus.subscriptions());
	}

	@Override
	public String name() {
		return "bus";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		return this.bus.publisher()
			.publishAsync(
					EventMessage.of(Payloads.sample(sequence, sentNanos)).subject(Payloads.key(sequence)).build());
	}

	@Override
	public long requests() {
		return this.requests.getAsLong();
	}

	@Override
	public void close() {
		this.bus.close();
		this.adapter.close();
	}

	/**
	 * The benchmark's handler.
	 */
	static final class SampleHandler {

		private final Recorder recorder;

		SampleHandler(Recorder recorder) {
			this.recorder = recorder;
		}

		@EventHandler
		void on(Sample sample) {
			this.recorder.record(sample.sentNanos());
		}

	}

}
