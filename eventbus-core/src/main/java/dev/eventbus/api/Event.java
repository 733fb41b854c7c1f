package dev.eventbus.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * An event envelope. Maps one-to-one onto CloudEvents 1.0: {@code id}, {@code type},
 * {@code source}, {@code time}, {@code subject} are the CloudEvents attributes of the
 * same name, {@code correlationId} and {@code causationId} travel as the
 * {@code correlationid} and {@code causationid} extensions, and every header is an
 * extension attribute.
 * <p>
 * Immutable, and thread safe when the payload is. The subject is the ordering and
 * partition key.
 *
 * @param id unique id of the event; redeliveries keep it, so handlers can deduplicate on
 * it
 * @param type event type, for example {@code order.created}
 * @param source URI reference of the producing application
 * @param time when the event happened, or {@code null} for an event received without one
 * (the optional CloudEvents {@code time}: never made up on reading, so every handler and
 * redelivery sees the same)
 * @param subject entity key the event is about, or {@code null}
 * @param correlationId id shared by all events of one business flow, or {@code null}
 * @param causationId id of the event whose handler published this one, or {@code null}
 * @param headers extension attributes as text, never {@code null}, unmodifiable; an
 * {@link Extensions} when their CloudEvents types are known (see {@link #extension})
 * @param dataContentType media type of the data: JSON ({@value #DATA_CONTENT_TYPE} or
 * another JSON type) for data of any class; for other types the data is a {@code String}
 * (for {@code text/*}) or a {@code byte[]}
 * @param payload the event data
 * @param <T> payload type
 */
public record Event<T>(String id, String type, String source, @Nullable Instant time, @Nullable String subject,
		@Nullable String correlationId, @Nullable String causationId, Map<String, String> headers,
		String dataContentType, T payload) {

	/** CloudEvents spec version written by this library. */
	public static final String SPEC_VERSION = "1.0";

	/** Content type of JSON data, the default. */
	public static final String DATA_CONTENT_TYPE = "application/json";

	public Event {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(dataContentType, "dataContentType");
		Objects.requireNonNull(payload, "payload");
		headers = (headers instanceof Extensions) ? headers : Map.copyOf(headers);
	}

	/**
	 * Create an event with JSON data ({@value #DATA_CONTENT_TYPE}).
	 * @param id unique id of the event
	 * @param type event type
	 * @param source URI reference of the producing application
	 * @param time when the event happened, or {@code null}
	 * @param subject entity key the event is about, or {@code null}
	 * @param correlationId id shared by all events of one business flow, or {@code null}
	 * @param causationId id of the event whose handler published this one, or
	 * {@code null}
	 * @param headers extension attributes
	 * @param payload the event data
	 */
	public Event(String id, String type, String source, @Nullable Instant time, @Nullable String subject,
			@Nullable String correlationId, @Nullable String causationId, Map<String, String> headers, T payload) {
		this(id, type, source, time, subject, correlationId, causationId, headers, DATA_CONTENT_TYPE, payload);
	}

	/**
	 * Whether a media type is JSON: {@code application/json}, {@code text/json} or a
	 * {@code +json} type, parameters ignored.
	 * @param contentType the media type
	 * @return whether it is JSON
	 */
	public static boolean isJson(String contentType) {
		int end = contentType.indexOf(';');
		String type = ((end >= 0) ? contentType.substring(0, end) : contentType).trim().toLowerCase(Locale.ROOT);
		return type.equals("application/json") || type.equals("text/json") || type.endsWith("+json");
	}

	/**
	 * Create an event with a new random (version 4) UUID as its id, drawn from
	 * {@link ThreadLocalRandom}: unique, not secret.
	 * @param type event type, for example {@code order.created}
	 * @param source URI reference of the producing application
	 * @param time when the event was created
	 * @param subject entity key the event is about, or {@code null}
	 * @param correlationId id of the business flow the event belongs to, or {@code null}
	 * when it starts one: its correlation id is then its own id
	 * @param causationId id of the event whose handler published this one, or
	 * {@code null}
	 * @param headers extension attributes
	 * @param payload the event data
	 * @param <T> payload type
	 * @return the event
	 */
	public static <T> Event<T> withRandomId(String type, String source, Instant time, @Nullable String subject,
			@Nullable String correlationId, @Nullable String causationId, Map<String, String> headers, T payload) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		String id = new UUID(high, low).toString();
		return new Event<>(id, type, source, time, subject, (correlationId != null) ? correlationId : id, causationId,
				headers, payload);
	}

	/**
	 * Return the value of a header, or {@code null}.
	 * @param name header name
	 * @return the value or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

	/**
	 * Return the typed value of an extension attribute: an {@code Integer} or
	 * {@code Boolean} when the event was read from structured JSON with one, or published
	 * with {@link EventMessage.Builder#extension(String, Object)}; else its text. A
	 * binary-mode transport carries only text, as CloudEvents' binary bindings do.
	 * @param name extension name
	 * @return a {@code String}, {@code Integer} or {@code Boolean}, or {@code null}
	 */
	public @Nullable Object extension(String name) {
		return (this.headers instanceof Extensions extensions) ? extensions.value(name) : this.headers.get(name);
	}

	/**
	 * Return a copy of this envelope with another payload.
	 * @param newPayload the payload
	 * @param <U> new payload type
	 * @return a new envelope with the same attributes
	 */
	public <U> Event<U> withPayload(U newPayload) {
		return new Event<>(this.id, this.type, this.source, this.time, this.subject, this.correlationId,
				this.causationId, this.headers, this.dataContentType, newPayload);
	}

	/**
	 * Return a copy of this envelope whose data has another media type.
	 * @param contentType the media type
	 * @return a new envelope with the same attributes and data
	 */
	public Event<T> withDataContentType(String contentType) {
		return new Event<>(this.id, this.type, this.source, this.time, this.subject, this.correlationId,
				this.causationId, this.headers, contentType, this.payload);
	}

}
