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

	private final Map<PublishKey, PublishTimers> publishTimers = new ConcurrentHashMap<>();

	private final Map<HandleKey, Timer> handleTimers = new ConcurrentHashMap<>();

	public MicrometerEventTimings(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public PublishTimer publishTimer(String adapter, String destination, String type) {
		PublishKey key = new PublishKey(adapter, destination, type);
		PublishTimers timers = this.publishTimers.get(key);
		return (timers != null) ? timers : this.publishTimers.computeIfAbsent(key, PublishTimers::new);
	}

	@Override
	public void published(String adapter, String destination, String type, String outcome, long nanos) {
		publishTimer(adapter, destination, type).record(outcome, nanos);
	}

	@Override
	public void handled(String adapter, String destination, String type, HandlerDefinition handler, String outcome,
			long nanos) {
		HandleKey key = new HandleKey(adapter, destination, type, handler.group(), handler.id(), outcome);
		Timer timer = this.handleTimers.get(key);
		if (timer == null) {
			timer = this.handleTimers.computeIfAbsent(key, this::handleTimer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer publishTimer(PublishKey key, String outcome) {
		return Timer.builder(EventBusObservations.PUBLISH)
			.description("Time to publish an event until the adapter accepted it")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", key.type(), "outcome", outcome)
			.register(this.registry);
	}

	private Timer handleTimer(HandleKey key) {
		return Timer.builder(EventBusObservations.HANDLE)
			.description("Time to handle a delivery")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", key.type(), "group",
					key.group(), "handler", key.handler(), "outcome", key.outcome())
			.register(this.registry);
	}

	private record PublishKey(String adapter, String destination, String type) {
	}

	/**
	 * The publish timers of one adapter, destination and type: the success timer registered up
	 * front, any other outcome's on first use.
	 */
	private final class PublishTimers implements PublishTimer {

		private static final String SUCCESS = "success";

		private final PublishKey key;

		private final Timer success;

		private final Map<String, Timer> others = new ConcurrentHashMap<>();

		PublishTimers(PublishKey key) {
			this.key = key;
			this.success = publishTimer(key, SUCCESS);
		}

		@Override
		public void record(String outcome, long nanos) {
			Timer timer = SUCCESS.equals(outcome) ? this.success
					: this.others.computeIfAbsent(outcome, (name) -> publishTimer(this.key, name));
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}

	}

	private record HandleKey(String adapter, String destination, String type, String group, String handler,
			String outcome) {
	}

}
