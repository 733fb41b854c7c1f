package dev.eventbus.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.eventbus.runtime.EventBusObservations;
import dev.eventbus.runtime.EventTimings;
import dev.eventbus.runtime.HandlerDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@link EventTimings} on Micrometer timers: {@code eventbus.publish} tagged adapter, destination,
 * type and outcome, and {@code eventbus.handle} tagged adapter, destination, type, group, handler
 * and outcome: the meters the bus's observations would produce, minus the {@code .active} long task
 * timers. Each timer is looked up once and cached. Thread safe.
 */
public class MicrometerEventTimings implements EventTimings {

	private final MeterRegistry registry;

	private final Map<PublishKey, Timer> publishTimers = new ConcurrentHashMap<>();

	private final Map<HandleKey, Timer> handleTimers = new ConcurrentHashMap<>();

	public MicrometerEventTimings(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void published(String adapter, String destination, String type, String outcome, long nanos) {
		this.publishTimers.computeIfAbsent(new PublishKey(adapter, destination, type, outcome), this::publishTimer)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void handled(String adapter, String destination, String type, HandlerDefinition handler, String outcome,
			long nanos) {
		this.handleTimers
			.computeIfAbsent(new HandleKey(adapter, destination, type, handler.group(), handler.id(), outcome),
					this::handleTimer)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer publishTimer(PublishKey key) {
		return Timer.builder(EventBusObservations.PUBLISH)
			.description("Time to publish an event until the adapter accepted it")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", key.type(), "outcome",
					key.outcome())
			.register(this.registry);
	}

	private Timer handleTimer(HandleKey key) {
		return Timer.builder(EventBusObservations.HANDLE)
			.description("Time to handle a delivery")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", key.type(), "group",
					key.group(), "handler", key.handler(), "outcome", key.outcome())
			.register(this.registry);
	}

	private record PublishKey(String adapter, String destination, String type, String outcome) {
	}

	private record HandleKey(String adapter, String destination, String type, String group, String handler,
			String outcome) {
	}

}
