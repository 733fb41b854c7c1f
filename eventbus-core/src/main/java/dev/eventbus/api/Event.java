package dev.eventbus.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * An event envelope. Maps one-to-one onto CloudEvents 1.0: {@code id}, {@code type},
 * {@code source}, {@code time}, {@code subject} are the CloudEvents attributes of the same name,
 * {@code correlationId} and {@code causationId} travel as the {@code correlationid} and
 * {@code causationid} extensions, and every header is an extension attribute.
 * <p>
 * Immutable and thread safe when the payload is; equal when every value is. The subject is the
 * ordering and partition key. An event made by {@link #withRandomId} writes its id as text only
 * when something first reads it, so an event handed over in process whose id nobody reads never
 * formats one.
 *
 * @param <T> payload type
 */
public final class Event<T> {

	/** CloudEvents spec version written by this library. */
	public static final String SPEC_VERSION = "1.0";

	/** Content type of the data of every event written by this library. */
	public static final String DATA_CONTENT_TYPE = "application/json";

	/** The id as text; {@code null} until first read in an event made by {@link #withRandomId}. */
	private @Nullable String id;

	/** The id as a UUID's two halves when it was not given as text. */
	private final long idHigh;

	private final long idLow;

	private final String type;

	private final String source;

	private final Instant time;

	private final @Nullable String subject;

	private final @Nullable String correlationId;

	/** Whether the correlation id is the event's own id, written as text only when read. */
	private final boolean correlatedWithItself;

	private final @Nullable String causationId;

	private final Map<String, String> headers;

	private final T payload;

	/**
	 * Create an event.
	 * @param id unique id of the event; redeliveries keep it, so handlers can deduplicate on it
	 * @param type event type, for example {@code order.created}
	 * @param source URI reference of the producing application
	 * @param time when the event was created
	 * @param subject entity key the event is about, or {@code null}
	 * @param correlationId id shared by all events of one business flow, or {@code null}
	 * @param causationId id of the event whose handler published this one, or {@code null}
	 * @param headers extension attributes
	 * @param payload the event data
	 */
	public Event(String id, String type, String source, Instant time, @Nullable String subject,
			@Nullable String correlationId, @Nullable String causationId, Map<String, String> headers, T payload) {
		this(Objects.requireNonNull(id, "id"), 0, 0, type, source, time, subject, correlationId, false, causationId,
				headers, payload);
	}

	private Event(@Nullable String id, long idHigh, long idLow, String type, String source, Instant time,
			@Nullable String subject, @Nullable String correlationId, boolean correlatedWithItself,
			@Nullable String causationId, Map<String, String> headers, T payload) {
		this.id = id;
		this.idHigh = idHigh;
		this.idLow = idLow;
		this.type = Objects.requireNonNull(type, "type");
		this.source = Objects.requireNonNull(source, "source");
		this.time = Objects.requireNonNull(time, "time");
		this.subject = subject;
		this.correlationId = correlationId;
		this.correlatedWithItself = correlatedWithItself;
		this.causationId = causationId;
		this.headers = Map.copyOf(headers);
		this.payload = Objects.requireNonNull(payload, "payload");
	}

	/**
	 * Create an event with a new id: a random (version 4) UUID, written as text when first read.
	 * @param type event type, for example {@code order.created}
	 * @param source URI reference of the producing application
	 * @param time when the event was created
	 * @param subject entity key the event is about, or {@code null}
	 * @param correlationId id of the business flow the event belongs to, or {@code null} when it
	 * starts one: its correlation id is then its own id
	 * @param causationId id of the event whose handler published this one, or {@code null}
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
		return new Event<>(null, high, low, type, source, time, subject, correlationId, correlationId == null,
				causationId, headers, payload);
	}

	/**
	 * Unique id of the event; redeliveries keep it, so handlers can deduplicate on it.
	 * @return the id
	 */
	public String id() {
		String id = this.id;
		if (id == null) {
			// every thread that gets here writes an equal string; a String is safe to share unsynchronized
			id = new UUID(this.idHigh, this.idLow).toString();
			this.id = id;
		}
		return id;
	}

	/**
	 * Event type, for example {@code order.created}.
	 * @return the type
	 */
	public String type() {
		return this.type;
	}

	/**
	 * URI reference of the producing application.
	 * @return the source
	 */
	public String source() {
		return this.source;
	}

	/**
	 * When the event was created.
	 * @return the time
	 */
	public Instant time() {
		return this.time;
	}

	/**
	 * Entity key the event is about: the ordering and partition key.
	 * @return the subject, or {@code null}
	 */
	public @Nullable String subject() {
		return this.subject;
	}

	/**
	 * Id shared by all events of one business flow.
	 * @return the correlation id, or {@code null}
	 */
	public @Nullable String correlationId() {
		return this.correlatedWithItself ? id() : this.correlationId;
	}

	/**
	 * Id of the event whose handler published this one.
	 * @return the causation id, or {@code null}
	 */
	public @Nullable String causationId() {
		return this.causationId;
	}

	/**
	 * Extension attributes.
	 * @return the headers, never {@code null}, unmodifiable
	 */
	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * The event data.
	 * @return the payload
	 */
	public T payload() {
		return this.payload;
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
		return new Event<>(this.id, this.idHigh, this.idLow, this.type, this.source, this.time, this.subject,
				this.correlationId, this.correlatedWithItself, this.causationId, this.headers, newPayload);
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof Event<?> event && id().equals(event.id()) && this.type.equals(event.type)
				&& this.source.equals(event.source) && this.time.equals(event.time)
				&& Objects.equals(this.subject, event.subject) && Objects.equals(correlationId(), event.correlationId())
				&& Objects.equals(this.causationId, event.causationId) && this.headers.equals(event.headers)
				&& this.payload.equals(event.payload);
	}

	@Override
	public int hashCode() {
		return Objects.hash(id(), this.type, this.source, this.time, this.subject, correlationId(), this.causationId,
				this.headers, this.payload);
	}

	@Override
	public String toString() {
		return "Event[id=" + id() + ", type=" + this.type + ", source=" + this.source + ", time=" + this.time
				+ ", subject=" + this.subject + ", correlationId=" + correlationId() + ", causationId="
				+ this.causationId + ", headers=" + this.headers + ", payload=" + this.payload + "]";
	}

}
