package dev.eventbus.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An event to publish, with everything the caller may set beyond the payload. Build one
 * with {@link #of(Object)} or {@link #of(String, Object)}. Attributes left unset are
 * filled in by the publisher: id, time, source ({@code eventbus.source}), the type from
 * the payload class, the correlation id from the event being handled on the current
 * thread (or the new event's id), and the destination from the routes.
 * <p>
 * Immutable and thread safe.
 *
 * @param <T> payload type
 */
public final class EventMessage<T> {

	/**
	 * Context attributes of CloudEvents 1.0 and of the bus, which headers may not name.
	 */
	private static final Set<String> CONTEXT_ATTRIBUTES = Set.of("specversion", "id", "source", "type", "subject",
			"time", "datacontenttype", "dataschema", "data", "data_base64", "correlationid", "causationid");

	private final @Nullable String type;

	private final T payload;

	private final @Nullable String subject;

	private final @Nullable String id;

	private final @Nullable String correlationId;

	private final @Nullable String destination;

	private final @Nullable String source;

	private final @Nullable Instant time;

	private final @Nullable String contentType;

	private final Map<String, String> headers;

	private EventMessage(Builder<T> builder) {
		this.type = builder.type;
		this.payload = builder.payload;
		this.subject = builder.subject;
		this.id = builder.id;
		this.correlationId = builder.correlationId;
		this.destination = builder.destination;
		this.source = builder.source;
		this.time = builder.time;
		this.contentType = builder.contentType;
		this.headers = (builder.headers != null) ? Extensions.of(builder.headers) : Map.of();
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

	/**
	 * The source of the event, if set; else the publisher's own.
	 * @return the source, or {@code null}
	 */
	public @Nullable String source() {
		return this.source;
	}

	/**
	 * When the event happened, if set; else the bus uses the time of the publish.
	 * @return the time, or {@code null}
	 */
	public @Nullable Instant time() {
		return this.time;
	}

	/**
	 * The media type of the payload, if set; else JSON.
	 * @return the content type, or {@code null}
	 */
	public @Nullable String contentType() {
		return this.contentType;
	}

	/**
	 * The headers as text; an {@link Extensions} when one was set with
	 * {@link Builder#extension(String, Object)}.
	 * @return the headers, never {@code null}
	 */
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

		private @Nullable String source;

		private @Nullable Instant time;

		private @Nullable String contentType;

		private @Nullable Map<String, Object> headers;

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
		 * Set the source, for an event that another system produced and this application
		 * passes on (as the HTTP ingestion does); by default the application's own
		 * ({@code eventbus.source}).
		 * @param source a URI reference, or {@code null} for the application's own
		 * @return this builder
		 */
		public Builder<T> source(@Nullable String source) {
			this.source = source;
			return this;
		}

		/**
		 * Set when the event happened, for example to import historic events; by default
		 * the time of the publish.
		 * @param time the time, or {@code null} for the time of the publish
		 * @return this builder
		 */
		public Builder<T> time(@Nullable Instant time) {
			this.time = time;
			return this;
		}

		/**
		 * Set the media type of the payload. By default the payload is written as JSON
		 * ({@code application/json}); for another type it must be a {@code String}
		 * (written as text) or a {@code byte[]} (written as is, Base64 in a structured
		 * CloudEvent).
		 * @param contentType the media type, for example {@code text/plain}
		 * @return this builder
		 * @throws IllegalArgumentException if the type is not JSON and the payload is
		 * neither a {@code String} nor a {@code byte[]}
		 */
		public Builder<T> contentType(String contentType) {
			Objects.requireNonNull(contentType, "contentType");
			if (!Event.isJson(contentType) && !(this.payload instanceof String) && !(this.payload instanceof byte[])) {
				throw new IllegalArgumentException(
						"A payload of content type '" + contentType + "' must be a String or a byte[], not "
								+ this.payload.getClass().getName() + "; objects are written as JSON");
			}
			this.contentType = contentType;
			return this;
		}

		/**
		 * Add a header (a CloudEvents extension attribute).
		 * @param name header name: lowercase letters {@code a-z} and digits {@code 0-9}
		 * only, as CloudEvents requires, and not a context attribute ({@code id},
		 * {@code time}, ...)
		 * @param value header value
		 * @return this builder
		 * @throws IllegalArgumentException if the name breaks that rule, naming the rule
		 */
		public Builder<T> header(String name, String value) {
			Objects.requireNonNull(value, "value");
			return extension(name, value);
		}

		/**
		 * Add an extension attribute with its CloudEvents type: a structured event writes
		 * an {@code Integer} as a JSON number and a {@code Boolean} as
		 * {@code true}/{@code false}; a binary-mode transport writes their text.
		 * @param name extension name, by the rule of {@link #header(String, String)}
		 * @param value a {@code String}, {@code Integer} or {@code Boolean}
		 * @return this builder
		 * @throws IllegalArgumentException if the name breaks the rule or the value has
		 * another type
		 */
		public Builder<T> extension(String name, Object value) {
			Objects.requireNonNull(name, "name");
			requireExtensionName(name);
			Object checked = Extensions.requireType(name, value);
			if (this.headers == null) {
				this.headers = new LinkedHashMap<>();
			}
			this.headers.put(name, checked);
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

	/**
	 * Check that a header can travel as a CloudEvents extension attribute: its name is
	 * lowercase ASCII letters and digits, and is not a context attribute the envelope
	 * sets.
	 */
	static void requireExtensionName(String name) {
		if (CONTEXT_ATTRIBUTES.contains(name)) {
			throw new IllegalArgumentException("Header '" + name + "' is a CloudEvents context attribute, not an "
					+ "extension: the id, type, subject, source, time, correlation id and content type are set with "
					+ "EventMessage's builder");
		}
		if (name.isEmpty() || !name.chars().allMatch((c) -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			String suggestion = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
			throw new IllegalArgumentException("Header '" + name + "' is not a valid CloudEvents extension name: "
					+ "extension names are lowercase letters a-z and digits 0-9 only"
					+ (suggestion.isEmpty() ? "" : ", for example '" + suggestion + "'"));
		}
	}

}