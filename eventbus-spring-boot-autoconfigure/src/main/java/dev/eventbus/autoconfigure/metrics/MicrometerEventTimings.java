package dev.eventbus.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.eventbus.runtime.EventBusObservations;
import dev.eventbus.runtime.EventTimings;
import dev.eventbus.runtime.HandlerDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * {@link EventTimings} on Micrometer timers: {@code eventbus.publish} tagged adapter, destination,
 * type and outcome, and {@code eventbus.handle} tagged adapter, destination, type, group, handler
 * and outcome: the meters the bus's observations would produce, minus the {@code .active} long task
 * timers. Each timer is looked up once and cached. Thread safe.
 */
public class MicrometerEventTimings implements EventTimings {

	private static final String SUCCESS = "success";

	private final MeterRegistry registry;

	private final Map<PublishKey, OutcomeTimers> publishTimers = new ConcurrentHashMap<>();

	private final Map<HandleKey, HandleTimers> handleTimers = new ConcurrentHashMap<>();

	public MicrometerEventTimings(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public PublishTimer publishTimer(String adapter, String destination, String type) {
		PublishKey key = new PublishKey(adapter, destination, type);
		OutcomeTimers timers = this.publishTimers.get(key);
		if (timers == null) {
			timers = this.publishTimers.computeIfAbsent(key,
					(created) -> new OutcomeTimers(created.type(), (outcome) -> publishTimer(created, outcome)));
		}
		return timers;
	}

	@Override
	public void published(String adapter, String destination, String type, String outcome, long nanos) {
		publishTimer(adapter, destination, type).record(outcome, nanos);
	}

	@Override
	public HandleTimer handleTimer(String adapter, String destination, HandlerDefinition handler) {
		HandleKey key = new HandleKey(adapter, destination, handler.group(), handler.id());
		HandleTimers timers = this.handleTimers.get(key);
		return (timers != null) ? timers : this.handleTimers.computeIfAbsent(key, HandleTimers::new);
	}

	@Override
	public void handled(String adapter, String destination, String type, HandlerDefinition handler, String outcome,
			long nanos) {
		handleTimer(adapter, destination, handler).record(type, outcome, nanos);
	}

	private Timer publishTimer(PublishKey key, String outcome) {
		return Timer.builder(EventBusObservations.PUBLISH)
			.description("Time to publish an event until the adapter accepted it")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", key.type(), "outcome", outcome)
			.register(this.registry);
	}

	private Timer handleTimer(HandleKey key, String type, String outcome) {
		return Timer.builder(EventBusObservations.HANDLE)
			.description("Time to handle a delivery")
			.tags("adapter", key.adapter(), "destination", key.destination(), "type", type, "group", key.group(),
					"handler", key.handler(), "outcome", outcome)
			.register(this.registry);
	}

	private record PublishKey(String adapter, String destination, String type) {
	}

	private record HandleKey(String adapter, String destination, String group, String handler) {
	}

	/**
	 * The timers of one meter id but its outcome tag: the success timer registered up front, any
	 * other outcome's on first use.
	 */
	private static final class OutcomeTimers implements PublishTimer {

		private final String type;

		private final Function<String, Timer> factory;

		private final Timer success;

		private final Map<String, Timer> others = new ConcurrentHashMap<>();

		OutcomeTimers(String type, Function<String, Timer> factory) {
			this.type = type;
			this.factory = factory;
			this.success = factory.apply(SUCCESS);
		}

		String type() {
			return this.type;
		}

		@Override
		public void record(String outcome, long nanos) {
			Timer timer = SUCCESS.equals(outcome) ? this.success : this.others.computeIfAbsent(outcome, this.factory);
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}

	}

	/**
	 * The handle timers of one handler and destination, per event type.
	 */
	private final class HandleTimers implements HandleTimer {

		private final HandleKey key;

		private final Map<String, OutcomeTimers> byType = new ConcurrentHashMap<>();

		/** The timers of the type recorded last: a handler mostly sees one type. */
		private volatile @Nullable OutcomeTimers last;

		HandleTimers(HandleKey key) {
			this.key = key;
		}

		@Override
		public void record(String type, String outcome, long nanos) {
			OutcomeTimers timers = this.last;
			if (timers == null || !timers.type().equals(type)) {
				timers = this.byType.get(type);
				if (timers == null) {
					timers = this.byType.computeIfAbsent(type,
							(created) -> new OutcomeTimers(created, (name) -> handleTimer(this.key, created, name)));
				}
				this.last = timers;
			}
			timers.record(outcome, nanos);
		}

	}

}
