package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventContext;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.runtime.EventBusObservations.HandleContext;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.EventBusStatistics.HandlerCounts;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MapAccessor;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * Runs one handler for the deliveries of one subscription: decode the envelope, match the type,
 * convert the payload (binary-mode data is parsed only here, straight into the handler's type),
 * evaluate the condition, invoke inside an {@code eventbus.handle} observation, then settle. A
 * failure is retried by giving the delivery back with the handler's backoff delay; after the last
 * attempt, or at once for a message that cannot be decoded, it is dead-lettered and only then
 * acknowledged. A dead letter that cannot be written leaves the delivery unacknowledged for
 * another attempt: nothing is lost. Thread safe.
 */
final class SubscriptionDispatcher implements DeliveryListener {

	private static final Log logger = LogFactory.getLog(SubscriptionDispatcher.class);

	private static final int MAX_TRACKED_FAILURES = 10_000;

	private static final int MAX_CACHED_TYPES = 1_024;

	private static final MapAccessor MAP_ACCESSOR = new MapAccessor();

	private final HandlerDefinition handler;

	private final JsonEventCodec codec;

	private final PayloadConverter converter;

	private final DeadLetterPublisher deadLetters;

	private final ObservationRegistry observationRegistry;

	private final EventTimings timings;

	private final Interceptors interceptors;

	private final HandlerCounts counts;

	private final String adapterName;

	private final String source;

	private final Duration sendTimeout;

	private final Map<String, Instant> firstFailures = new ConcurrentHashMap<>();

	/**
	 * The payload class and type of the last in-process event whose payload the handler took as
	 * published; such events skip conversion. Racy by design: a stale value only costs a lookup.
	 */
	private @Nullable PassThrough passThrough;

	/**
	 * The type instance accepted last: in-process events of one route share their type string, so
	 * an identity check spares the map lookup. Racy by design, like {@link #passThrough}.
	 */
	private @Nullable String lastAcceptedType;

	/** Whether the handler takes a type, for the types seen so far (wildcards cost a regex match). */
	private final Map<String, Boolean> acceptedTypes = new ConcurrentHashMap<>();

	/** The timer of the destination handled last; a subscription almost always has one. */
	private volatile @Nullable DestinationTimer destinationTimer;

	SubscriptionDispatcher(HandlerDefinition handler, JsonEventCodec codec, PayloadConverter converter,
			DeadLetterPublisher deadLetters, ObservationRegistry observationRegistry, EventTimings timings,
			Interceptors interceptors, HandlerCounts counts, String adapterName, String source, Duration sendTimeout) {
		this.handler = handler;
		this.codec = codec;
		this.converter = converter;
		this.deadLetters = deadLetters;
		this.observationRegistry = observationRegistry;
		this.timings = timings;
		this.interceptors = interceptors;
		this.counts = counts;
		this.adapterName = adapterName;
		this.source = source;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public void onDelivery(Delivery delivery) {
		if (isReplayForAnotherGroup(delivery)) {
			this.counts.increment(Counter.SKIPPED);
			delivery.ack();
			return;
		}
		Event<?> event;
		try {
			event = decode(delivery);
		}
		catch (EventDecodingException ex) {
			logger.warn("Dead-lettering undecodable message " + delivery.messageId() + " from '"
					+ delivery.destination() + "' for handler " + this.handler.id() + ": " + ex.getMessage());
			deadLetter(delivery, null, ex);
			return;
		}
		if (!accepts(event.type())) {
			this.counts.increment(Counter.SKIPPED);
			delivery.ack();
			return;
		}
		this.counts.increment(Counter.RECEIVED);
		long start = 0;
		if (this.timings != EventTimings.NONE) {
			start = delivery.startNanos();
			if (start == 0) {
				start = System.nanoTime();
			}
		}
		HandleContext context = null;
		Observation observation = Observation.NOOP;
		if (!this.observationRegistry.isNoop()) {
			context = new HandleContext(event.headers(), this.adapterName, delivery.destination(), event.type(),
					this.handler.group(), this.handler.id());
			HandleContext supplied = context;
			observation = Observation.createNotStarted(null, EventBusObservations.DEFAULT_HANDLE_CONVENTION,
					() -> supplied, this.observationRegistry).start();
		}
		Outcome outcome;
		try (Observation.Scope scope = observation.openScope()) {
			outcome = handle(delivery, event, observation);
		}
		if (context != null) {
			context.setOutcome(outcome.name());
		}
		observation.stop();
		if (start != 0) {
			long end = System.nanoTime();
			handleTimer(delivery.destination()).record(event.type(), outcome.name(), end - start);
			delivery.handled(end);
		}
		if (!this.interceptors.isEmpty()) {
			this.interceptors.handled(Objects.requireNonNull(outcome.event()), this.handler, outcome.name());
		}
	}

	private boolean accepts(String type) {
		if (type == this.lastAcceptedType) {
			return true;
		}
		Boolean accepted = this.acceptedTypes.get(type);
		if (accepted == null) {
			accepted = this.handler.accepts(type);
			if (this.acceptedTypes.size() < MAX_CACHED_TYPES) {
				this.acceptedTypes.put(type, accepted);
			}
		}
		if (accepted) {
			this.lastAcceptedType = type;
		}
		return accepted;
	}

	private EventTimings.HandleTimer handleTimer(String destination) {
		DestinationTimer cached = this.destinationTimer;
		if (cached == null || !cached.destination().equals(destination)) {
			cached = new DestinationTimer(destination, this.timings.handleTimer(this.adapterName, destination,
					this.handler));
			this.destinationTimer = cached;
		}
		return cached.timer();
	}

	private record DestinationTimer(String destination, EventTimings.HandleTimer timer) {
	}

	/**
	 * How a delivery ended, with the event as the handler saw it (converted when conversion worked)
	 * for the interceptors; {@code null} in the shared success outcome returned when there are none.
	 */
	private record Outcome(String name, @Nullable Event<?> event) {

		/** A success when no interceptor needs the event: one object for every such delivery. */
		static final Outcome SUCCESS = new Outcome("success", null);

	}

	private Outcome handle(Delivery delivery, Event<?> event, Observation observation) {
		Event<?> converted = event;
		try {
			converted = convert(event);
			if (!conditionHolds(converted)) {
				this.counts.increment(Counter.SKIPPED);
				delivery.ack();
				return new Outcome("skipped", converted);
			}
			Event<?> invoked = converted;
			EventContext.runWith(invoked, () -> this.handler.invoker().invoke(invoked));
		}
		catch (EventDecodingException ex) {
			observation.error(ex);
			logger.warn("Dead-lettering event " + event.id() + " of type '" + event.type() + "' for handler "
					+ this.handler.id() + ": " + ex.getMessage());
			return new Outcome(deadLetter(delivery, event, ex), converted);
		}
		catch (Throwable ex) {
			rethrowIfFatal(ex);
			observation.error(ex);
			return new Outcome(failed(delivery, event, ex), converted);
		}
		this.counts.increment(Counter.HANDLED);
		if (!this.firstFailures.isEmpty()) {
			this.firstFailures.remove(event.id());
		}
		delivery.ack();
		return this.interceptors.isEmpty() ? Outcome.SUCCESS : new Outcome("success", converted);
	}

	private String failed(Delivery delivery, Event<?> event, Throwable ex) {
		this.counts.increment(Counter.FAILED);
		Instant now = Instant.now();
		if (this.firstFailures.size() < MAX_TRACKED_FAILURES) {
			this.firstFailures.putIfAbsent(event.id(), now);
		}
		int attempt = delivery.attempt();
		RetrySettings retry = this.handler.retry();
		if (attempt < retry.maxAttempts() && retry.retries(ex)) {
			Duration delay = retry.delayAfter(attempt);
			if (logger.isDebugEnabled()) {
				logger.debug("Handler " + this.handler.id() + " failed on event " + event.id() + " (attempt " + attempt
						+ " of " + retry.maxAttempts() + "), retrying in " + delay, ex);
			}
			this.counts.increment(Counter.RETRIED);
			delivery.retry(delay);
			return "retry";
		}
		logger.warn("Handler " + this.handler.id() + " failed on event " + event.id() + " of type '" + event.type()
				+ "' after " + attempt + " attempt(s)", ex);
		return deadLetter(delivery, event, ex);
	}

	private String deadLetter(Delivery delivery, @Nullable Event<?> event, Throwable cause) {
		if (!this.handler.deadLetter()) {
			logger.error("Dropping " + describe(delivery, event) + ": handler " + this.handler.id()
					+ " has dead-lettering off", cause);
			delivery.ack();
			return "dropped";
		}
		Instant now = Instant.now();
		Instant first = (event != null) ? this.firstFailures.remove(event.id()) : null;
		try {
			this.deadLetters
				.publish(delivery, event, this.handler, cause, (first != null) ? first : now, now)
				.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			Duration delay = this.handler.retry().delayAfter(delivery.attempt());
			logger.error("Could not dead-letter " + describe(delivery, event) + " to '"
					+ this.deadLetters.deadLetterDestination(delivery.destination()) + "'; it stays unacknowledged "
					+ "and is delivered again in " + delay, ex);
			delivery.retry(delay);
			return "retry";
		}
		this.counts.increment(Counter.DEAD_LETTERED);
		delivery.ack();
		return "dead-letter";
	}

	private boolean isReplayForAnotherGroup(Delivery delivery) {
		if (delivery.event() != null) {
			return false;
		}
		String group = delivery.header(FailureHeaders.REPLAY_GROUP);
		return group != null && !group.equals(this.handler.consumerGroup());
	}

	private Event<?> decode(Delivery delivery) {
		Event<?> event = delivery.event();
		return (event != null) ? event : this.codec.decodeEnvelope(delivery.headers(), delivery.body(), this.source);
	}

	private Event<?> convert(Event<?> event) {
		Class<?> payloadType = this.handler.invoker().payloadType();
		if (payloadType == null) {
			return this.converter.parsed(event);
		}
		PassThrough passThrough = this.passThrough;
		if (passThrough != null && passThrough.matches(event)) {
			return event;
		}
		Object payload = this.converter.convert(event, payloadType);
		if (payload == event.payload()) {
			this.passThrough = new PassThrough(payload.getClass(), event.type());
			return event;
		}
		return event.withPayload(payload);
	}

	/**
	 * A payload class and event type whose events the handler takes unconverted.
	 */
	private record PassThrough(Class<?> payloadClass, String type) {

		boolean matches(Event<?> event) {
			return event.payload().getClass() == this.payloadClass && this.type.equals(event.type());
		}

	}

	private boolean conditionHolds(Event<?> event) {
		if (this.handler.condition() == null) {
			return true;
		}
		StandardEvaluationContext context = new StandardEvaluationContext(event);
		context.addPropertyAccessor(MAP_ACCESSOR);
		return Boolean.TRUE.equals(this.handler.condition().getValue(context, Boolean.class));
	}

	private static String describe(Delivery delivery, @Nullable Event<?> event) {
		return (event != null) ? "event " + event.id() + " of type '" + event.type() + "'"
				: "message " + delivery.messageId() + " from '" + delivery.destination() + "'";
	}

	private static void rethrowIfFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
	}

}
