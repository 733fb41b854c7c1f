package dev.eventbus.api;

import java.time.Instant;
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
 * @param time when the event was created
 * @param subject entity key the event is about, or {@code null}
 * @param correlationId id shared by all events of one business flow, or {@code null}
 * @param causationId id of the event whose handler published this one, or {@code null}
 * @param headers extension attributes, never {@code null}, unmodifiable
 * @param payload the event data
 * @param <T> payload type
 */
public record Event<T>(String id, String type, String source, Instant time, @Nullable String subject,
		@Nullable String correlationId, @Nullable String causationId, Map<String, String> headers, T payload) {

	/** CloudEvents spec version written by this library. */
	public static final String SPEC_VERSION = "1.0";

	/** Content type of the data of every event written by this library. */
	public static final String DATA_CONTENT_TYPE = "application/json";

	public Event {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(time, "time");
		Objects.requireNonNull(payload, "payload");
		headers = Map.copyOf(headers);
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
	 * Return a copy of this envelope with another payload.
	 * @param newPayload the payload
	 * @param <U> new payload type
	 * @return a new envelope with the same attributes
	 */
	public <U> Event<U> withPayload(U newPayload) {
		return new Event<>(this.id, this.type, this.source, this.time, this.subject, this.correlationId,
				this.causationId, this.headers, newPayload);
	}

}
