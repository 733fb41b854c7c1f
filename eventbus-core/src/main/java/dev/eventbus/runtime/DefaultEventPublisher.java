package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.Extensions;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishException;
import dev.eventbus.api.PublishResult;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.runtime.EventBusObservations.PublishContext;
import dev.eventbus.runtime.EventBusObservations.PublishObservationConvention;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds envelopes, routes them and hands them to the adapter, inside an
 * {@code eventbus.publish} observation. Correlation and causation ids come from the event
 * handled on the current thread. Thread safe.
 */
final class DefaultEventPublisher implements EventPublisher {

	private static final int MAX_CACHED_ROUTES = 10_000;

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final EventTypeRegistry registry;

	private final DestinationRouter router;

	private final ObservationRegistry observationRegistry;

	private final @Nullable PublishObservationConvention convention;

	private final Interceptors interceptors;

	private final EventBusStatistics statistics;

	private final String source;

	private final Duration sendTimeout;

	/** Destination of each event type, as the router resolved it. */
	private final Map<String, String> destinations = new ConcurrentHashMap<>();

	DefaultEventPublisher(EventBusAdapter adapter, JsonEventCodec codec, EventTypeRegistry registry,
			DestinationRouter router, ObservationRegistry observationRegistry,
			@Nullable PublishObservationConvention convention, Interceptors interceptors, EventBusStatistics statistics,
			String source, Duration sendTimeout) {
		this.adapter = adapter;
		this.codec = codec;
		this.registry = registry;
		this.router = router;
		this.observationRegistry = observationRegistry;
		this.convention = convention;
		this.interceptors = interceptors;
		this.statistics = statistics;
		this.source = source;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public PublishResult publish(Object payload) {
		return publish(EventMessage.of(requirePayload(payload)).build());
	}

	@Override
	public PublishResult publish(EventMessage<?> message) {
		CompletableFuture<PublishResult> future = send(message);
		try {
			return future.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw asPublishException(ex.getCause(), message);
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

	@Override
	public CompletableFuture<PublishResult> publishAsync(Object payload) {
		return publishAsync(EventMessage.of(requirePayload(payload)).build());
	}

	@Override
	public CompletableFuture<PublishResult> publishAsync(EventMessage<?> message) {
		return send(message);
	}

	private static Object requirePayload(Object payload) {
		if (payload == null) {
			throw new IllegalArgumentException("payload must not be null");
		}
		return payload;
	}

	/**
	 * Build the event and hand it to the adapter.
	 * @param message the message
	 * @return completes when the adapter accepted the event, or with a
	 * {@link PublishException}
	 */
	private CompletableFuture<PublishResult> send(EventMessage<?> message) {
		String type = (message.type() != null) ? message.type() : this.registry.register(message.payload().getClass());
		String destination = (message.destination() != null) ? message.destination() : destination(type);
		Event<?> current = EventContext.current().orElse(null);
		PublishContext context = null;
		Observation observation = Observation.NOOP;
		Map<String, String> headers = message.headers();
		if (!this.observationRegistry.isNoop()) {
			PublishContext observed = new PublishContext(new HashMap<>(headers), this.adapter.name(), destination,
					type);
			observation = Observation
				.createNotStarted(this.convention, EventBusObservations.DEFAULT_PUBLISH_CONVENTION, () -> observed,
						this.observationRegistry)
				.start();
			headers = Extensions.keepingTypes(message.headers(), observed.getCarrier());
			context = observed;
		}
		String correlationId = (message.correlationId() != null) ? message.correlationId()
				: (current != null) ? current.correlationId() : null;
		String causationId = (current != null) ? current.id() : null;
		String source = (message.source() != null) ? message.source() : this.source;
		Event<?> made = (message.id() != null)
				? new Event<>(message.id(), type, source, time(message), message.subject(),
						(correlationId != null) ? correlationId : message.id(), causationId, headers, message.payload())
				: Event.withRandomId(type, source, time(message), message.subject(), correlationId, causationId,
						headers, message.payload());
		Event<?> event = (message.contentType() != null) ? made.withDataContentType(message.contentType()) : made;
		CompletableFuture<SendResult> sent;
		try {
			sent = this.adapter.send(OutboundMessage.ofEvent(destination, event, this.codec));
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		Observation started = observation;
		PublishContext observed = context;
		return sent.handle((result, failure) -> {
			if (failure != null) {
				this.statistics.publishFailed();
				PublishException exception = asPublishException(failure, message);
				if (observed != null) {
					observed.setOutcome("failure");
				}
				started.error(exception);
				started.stop();
				throw exception;
			}
			this.statistics.published();
			started.stop();
			PublishResult published = new PublishResult(event.id(), type, destination, result.position(),
					Objects.requireNonNull(event.correlationId()));
			this.interceptors.published(event, published);
			return published;
		});
	}

	private String destination(String type) {
		String destination = this.destinations.get(type);
		if (destination == null) {
			destination = this.router.route(type);
			if (this.destinations.size() < MAX_CACHED_ROUTES) {
				this.destinations.put(type, destination);
			}
		}
		return destination;
	}

	private PublishException asPublishException(Throwable failure, EventMessage<?> message) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof PublishException publishException) {
			return publishException;
		}
		String type = (message.type() != null) ? message.type() : message.payload().getClass().getSimpleName();
		return new PublishException("The " + this.adapter.name() + " adapter did not accept the event of type '" + type
				+ "': " + cause.getMessage(), cause);
	}

	private static Instant time(EventMessage<?> message) {
		Instant time = message.time();
		return (time != null) ? time : Instant.now();
	}

}
