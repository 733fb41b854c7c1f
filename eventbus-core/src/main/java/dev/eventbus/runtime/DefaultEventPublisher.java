package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventContext;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishException;
import dev.eventbus.api.PublishResult;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.runtime.EventBusObservations.PublishContext;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds envelopes, routes them and hands them to the adapter, inside an {@code eventbus.publish}
 * observation. Correlation and causation ids come from the event handled on the current thread.
 * Thread safe.
 */
final class DefaultEventPublisher implements EventPublisher {

	private static final int MAX_CACHED_ROUTES = 10_000;

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final EventTypeRegistry registry;

	private final DestinationRouter router;

	private final ObservationRegistry observationRegistry;

	private final EventTimings timings;

	private final Interceptors interceptors;

	private final EventBusStatistics statistics;

	private final String source;

	private final Duration sendTimeout;

	/** Whether the adapter accepts before returning, so that a publish needs no future. */
	private final boolean synchronousAdapter;

	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	/** The event time from the timer's clock read, when publishes are timed. */
	private final WallClock wallClock = new WallClock();

	/** Routes of payload classes published under their own type to the routed destination. */
	private final ClassValue<Route> routesByClass = new ClassValue<>() {
		@Override
		protected Route computeValue(Class<?> payloadClass) {
			Route route = route(DefaultEventPublisher.this.registry.typeOf(payloadClass));
			return new Route(route.type(), route.destination(), route.timer(), payloadClass);
		}
	};

	/** The route of the payload class published last: most publishers publish one class at a time. */
	private volatile @Nullable Route lastClassRoute;

	DefaultEventPublisher(EventBusAdapter adapter, JsonEventCodec codec, EventTypeRegistry registry,
			DestinationRouter router, ObservationRegistry observationRegistry, EventTimings timings,
			Interceptors interceptors, EventBusStatistics statistics, String source, Duration sendTimeout) {
		this.adapter = adapter;
		this.codec = codec;
		this.registry = registry;
		this.router = router;
		this.observationRegistry = observationRegistry;
		this.timings = timings;
		this.interceptors = interceptors;
		this.statistics = statistics;
		this.source = source;
		this.sendTimeout = sendTimeout;
		this.synchronousAdapter = adapter.acceptsSynchronously();
	}

	@Override
	public PublishResult publish(Object payload) {
		return await(send(requirePayload(payload), null), payload, null);
	}

	@Override
	public PublishResult publish(EventMessage<?> message) {
		return await(send(message.payload(), message), message.payload(), message);
	}

	@Override
	public CompletableFuture<PublishResult> publishAsync(Object payload) {
		return future(send(requirePayload(payload), null));
	}

	@Override
	public CompletableFuture<PublishResult> publishAsync(EventMessage<?> message) {
		return future(send(message.payload(), message));
	}

	private static Object requirePayload(Object payload) {
		if (payload == null) {
			throw new IllegalArgumentException("payload must not be null");
		}
		return payload;
	}

	/**
	 * Wait for what {@link #send} returned, up to the send timeout.
	 */
	private PublishResult await(Object sent, Object payload, @Nullable EventMessage<?> message) {
		if (sent instanceof PublishResult result) {
			return result;
		}
		CompletableFuture<PublishResult> future = pending(sent);
		try {
			return future.isDone() ? future.get() : future.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw asPublishException(ex.getCause(), payload, message);
		}
		catch (TimeoutException ex) {
			throw new PublishException("Event was not acknowledged by the " + this.adapter.name() + " adapter within "
					+ this.sendTimeout + " (eventbus.publish-timeout); it may or may not have been written", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException("Interrupted while waiting for the " + this.adapter.name() + " adapter", ex);
		}
	}

	private static CompletableFuture<PublishResult> future(Object sent) {
		return (sent instanceof PublishResult result) ? CompletableFuture.completedFuture(result) : pending(sent);
	}

	@SuppressWarnings("unchecked")
	private static CompletableFuture<PublishResult> pending(Object sent) {
		return (CompletableFuture<PublishResult>) sent;
	}

	/**
	 * Build the event and hand it to the adapter.
	 * @param payload the payload
	 * @param message the message, or {@code null} when only a payload is published, under its
	 * class's type and with no other attribute set, which spares building a message
	 * @return the {@link PublishResult} when the adapter accepted the event before returning (in
	 * memory), so that a synchronous publish allocates no future; otherwise the
	 * {@code CompletableFuture<PublishResult>} that completes when it does
	 */
	private Object send(Object payload, @Nullable EventMessage<?> message) {
		Route route = (message == null || (message.type() == null && message.destination() == null))
				? route(payload.getClass()) : route(message);
		String type = route.type();
		Event<?> current = EventContext.current().orElse(null);
		String correlationId = correlationId(message, current);
		Map<String, String> headers = (message != null) ? message.headers() : Map.of();
		long start = (this.timings != EventTimings.NONE) ? System.nanoTime() : 0;
		Observation observation = Observation.NOOP;
		PublishContext context = null;
		if (!this.observationRegistry.isNoop()) {
			context = new PublishContext(new HashMap<>(headers), this.adapter.name(), route.destination(), type);
			PublishContext supplied = context;
			observation = Observation.createNotStarted(null, EventBusObservations.DEFAULT_PUBLISH_CONVENTION,
					() -> supplied, this.observationRegistry).start();
			headers = context.getCarrier();
		}
		Instant time = (start != 0) ? this.wallClock.at(start) : Instant.now();
		String subject = (message != null) ? message.subject() : null;
		String causationId = (current != null) ? current.id() : null;
		String id = (message != null) ? message.id() : null;
		// a new id is written as text only when read: in memory, often never
		Event<Object> event = (id != null)
				? new Event<>(id, type, this.source, time, subject, (correlationId != null) ? correlationId : id,
						causationId, headers, payload)
				: Event.withRandomId(type, this.source, time, subject, correlationId, causationId, headers, payload);
		OutboundMessage outbound = OutboundMessage.ofEvent(route.destination(), event, this.codec);
		if (this.synchronousAdapter) {
			SendResult result;
			try {
				result = this.adapter.sendNow(outbound);
			}
			catch (RuntimeException ex) {
				// the shape a failed asynchronous send has: a stage that threw
				return CompletableFuture.failedFuture(
						new CompletionException(failed(ex, route, observation, context, start, payload, message)));
			}
			return published(event, route, result, observation, start);
		}
		CompletableFuture<SendResult> sent;
		try {
			sent = this.adapter.send(outbound);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		Observation started = observation;
		PublishContext observed = context;
		if (sent.isDone() && !sent.isCompletedExceptionally()) {
			return published(event, route, sent.join(), started, start);
		}
		return sent.handle((result, failure) -> {
			if (failure == null) {
				return published(event, route, result, started, start);
			}
			throw failed(failure, route, started, observed, start, payload, message);
		});
	}

	/**
	 * Count, observe and time a publish the adapter refused.
	 * @return the exception to fail the publish with
	 */
	private PublishException failed(Throwable failure, Route route, Observation observation,
			@Nullable PublishContext context, long start, Object payload, @Nullable EventMessage<?> message) {
		this.statistics.publishFailed();
		PublishException exception = asPublishException(failure, payload, message);
		if (context != null) {
			context.setOutcome("failure");
			observation.error(exception);
		}
		observation.stop();
		time(route, "failure", start);
		return exception;
	}

	private PublishResult published(Event<?> event, Route route, SendResult result, Observation observation,
			long start) {
		this.statistics.published();
		observation.stop();
		time(route, "success", start);
		PublishResult published = PublishResult.of(event, route.destination(), result);
		if (!this.interceptors.isEmpty()) {
			this.interceptors.published(event, published);
		}
		return published;
	}

	private void time(Route route, String outcome, long start) {
		if (start != 0) {
			route.timer().record(outcome, System.nanoTime() - start);
		}
	}

	private Route route(Class<?> payloadClass) {
		Route last = this.lastClassRoute;
		if (last != null && last.payloadClass() == payloadClass) {
			return last;
		}
		Route route = this.routesByClass.get(payloadClass);
		this.lastClassRoute = route;
		return route;
	}

	/**
	 * The destination of a type and the timer of its publishes; cached per type unless the
	 * message names its destination.
	 */
	private Route route(EventMessage<?> message) {
		String type = (message.type() != null) ? message.type() : this.registry.typeOf(message.payload().getClass());
		return (message.destination() != null) ? newRoute(type, message.destination()) : route(type);
	}

	private Route route(String type) {
		Route route = this.routes.get(type);
		if (route == null) {
			route = newRoute(type, this.router.route(type));
			if (this.routes.size() < MAX_CACHED_ROUTES) {
				this.routes.put(type, route);
			}
		}
		return route;
	}

	private Route newRoute(String type, String destination) {
		return new Route(type, destination, this.timings.publishTimer(this.adapter.name(), destination, type), null);
	}

	/**
	 * The correlation id the event inherits: the message's, or that of the event handled on this
	 * thread; {@code null} when the event starts a flow, correlated by its own id.
	 */
	private static @Nullable String correlationId(@Nullable EventMessage<?> message, @Nullable Event<?> current) {
		if (message != null && message.correlationId() != null) {
			return message.correlationId();
		}
		return (current != null) ? current.correlationId() : null;
	}

	private PublishException asPublishException(Throwable failure, Object payload,
			@Nullable EventMessage<?> message) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof PublishException publishException) {
			return publishException;
		}
		String type = (message != null && message.type() != null) ? message.type()
				: payload.getClass().getSimpleName();
		return new PublishException("The " + this.adapter.name() + " adapter did not accept the event of type '"
				+ type + "': " + cause.getMessage(), cause);
	}

	/**
	 * Where a type goes and how its publishes are timed; {@code payloadClass} is set on routes
	 * cached per payload class.
	 */
	private record Route(String type, String destination, EventTimings.PublishTimer timer,
			@Nullable Class<?> payloadClass) {
	}

}
