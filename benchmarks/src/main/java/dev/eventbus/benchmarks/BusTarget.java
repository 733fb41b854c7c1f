package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;
import dev.eventbus.runtime.HandlerDefaults;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The bus on an adapter, as Spring Boot configures it with the actuator (metrics recorded
 * as Micrometer timers through one Observation per publish and per handling; none with
 * {@code -Dbench.observations=false}, as without the actuator): {@code publishAsync} of a
 * {@link Sample} with a subject, and one {@code @EventHandler} with the given concurrency
 * that records each arrival.
 */
final class BusTarget implements Target {

	private final EventBus bus;

	private final EventBusAdapter adapter;

	private final LongSupplier requests;

	BusTarget(EventBusAdapter adapter, String destination, int concurrency, Recorder recorder, LongSupplier requests) {
		this.adapter = adapter;
		this.requests = requests;
		EventBusBuilder builder = EventBus.builder()
			.adapter(adapter)
			.defaultDestination(destination)
			.handlerDefaults(HandlerDefaults.DEFAULTS.withGroup("bench").withConcurrency(concurrency));
		if (Boolean.parseBoolean(System.getProperty("bench.observations", "true"))) {
			builder.observationRegistry(observations());
		}
		this.bus = builder.build();
		this.bus.registerHandlers("sampleHandler", new SampleHandler(recorder));
		this.bus.start();
		awaitRunning(Duration.ofSeconds(60));
	}

	/**
	 * The timers a Spring Boot application with the actuator records, through Micrometer
	 * Observation.
	 * @return a registry with Micrometer's meter handler on a simple meter registry
	 */
	static ObservationRegistry observations() {
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
