package dev.eventbus.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An event to publish, with everything the caller may set beyond the payload. Build one
 * with {@link #of(Object)} or {@link #of(String, Object)}. Attributes left unset are
 * filled in by the publisher: id, time, source, the type from the payload class, the
 * correlation id from the event being handled on the current thread (or the new event's
 * id), and the destination from the routes.
 * <p>
 * Immutable and thread safe.
 *
 * @param <T> payload type
 */
public final class EventMessage<T> {

	private final @Nullable String type;

	private final T payload;

	private final @Nullable String subject;

	private final @Nullable String id;

	private final @Nullable String correlationId;

	private final @Nullable String destination;

	private final Map<String, String> headers;

	private EventMessage(Builder<T> builder) {
		this.type = builder.type;
		this.payload = builder.payload;
		this.subject = builder.subject;
		this.id = builder.id;
		this.correlationId = builder.correlationId;
		this.destination = builder.destination;
		this.headers = (builder.headers != null) ? Map.copyOf(builder.headers) : Map.of();
	}

	/**
	 * Start a message whose type comes from the payload class.
	 * @param payload the payload, not {@code null}
	 * @param <T> payload type
	 * @return a builder
	 * @throws IllegalArgumentException if the payload is {@code null}
	 */
	public static <T> Builder<T> of(T payload) {
		return new Builder<>(null, payload);
	}

	/**
	 * Start a message of an explicit type.
	 * @param type the event type, not empty
	 * @param payload the payload, not {@code null}
	 * @param <T> payload type
	 * @return a builder
	 * @throws IllegalArgumentException if the type is empty or the payload {@code null}
	 */
	public static <T> Builder<T> of(String type, T payload) {
		if (type == null || type.isBlank()) {
			throw new IllegalArgumentException("type must not be null or empty");
		}
		return new Builder<>(type, payload);
	}

	public @Nullable String type() {
		return this.type;
	}

	public T payload() {
		return this.payload;
	}

	public @Nullable String subject() {
		return this.subject;
	}

	public @Nullable String id() {
		return this.id;
	}

	public @Nullable String correlationId() {
		return this.correlationId;
	}

	public @Nullable String destination() {
		return this.destination;
	}

	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * Builder of an {@link EventMessage}. Not thread safe.
	 *
	 * @param <T> payload type
	 */
	public static final class Builder<T> {

		private final @Nullable String type;

		private final T payload;

		private @Nullable String subject;

		private @Nullable String id;

		private @Nullable String correlationId;

		private @Nullable String destination;

		private @Nullable Map<String, String> headers;

		private Builder(@Nullable String type, T payload) {
			if (payload == null) {
				throw new IllegalArgumentException("payload must not be null");
			}
			this.type = type;
			this.payload = payload;
		}

		/**
		 * Entity key: the ordering and partition key.
		 * @param subject the subject
		 * @return this builder
		 */
		public Builder<T> subject(@Nullable String subject) {
			this.subject = subject;
			return this;
		}

		/**
		 * Event id; generated when not set. Set it to make a retried publish idempotent
		 * downstream.
		 * @param id the id
		 * @return this builder
		 */
		public Builder<T> id(@Nullable String id) {
			this.id = id;
			return this;
		}

		/**
		 * Correlation id; defaults to the one of the event being handled, else the new
		 * event's id.
		 * @param correlationId the correlation id
		 * @return this builder
		 */
		public Builder<T> correlationId(@Nullable String correlationId) {
			this.correlationId = correlationId;
			return this;
		}

		/**
		 * Destination that overrides the routes.
		 * @param destination the topic, stream or queue
		 * @return this builder
		 */
		public Builder<T> destination(@Nullable String destination) {
			this.destination = destination;
			return this;
		}

		/**
		 * Add a header (a CloudEvents extension attribute). Names should be lower-case
		 * letters and digits for strict CloudEvents consumers; {@code -}, {@code _} and
		 * {@code .} are accepted.
		 * @param name header name
		 * @param value header value
		 * @return this builder
		 */
		public Builder<T> header(String name, String value) {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(value, "value");
			if (this.headers == null) {
				this.headers = new LinkedHashMap<>();
			}
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Add headers.
		 * @param headers the headers
		 * @return this builder
		 */
		public Builder<T> headers(Map<String, String> headers) {
			headers.forEach(this::header);
			return this;
		}

		public EventMessage<T> build() {
			return new EventMessage<>(this);
		}

	}

}
