package dev.eventbus.spi;

import java.util.Map;
import java.util.Objects;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * A message on its way to a destination. Either an event, encoded lazily in the content
 * mode the adapter asks for (in-process adapters may take the {@link #event()} itself and
 * never encode), or a raw message whose headers and body are sent unchanged (dead
 * letters, replays, foreign input).
 * <p>
 * Thread safe.
 */
public final class OutboundMessage {

	private final String destination;

	private final @Nullable String key;

	/** The id of a raw message; a message of an event reads its event's id when asked. */
	private final @Nullable String id;

	private final @Nullable Event<?> event;

	/** Encodes {@link #event}; {@code null} for a raw message, encoded from the start. */
	private final @Nullable EventEncoder encoder;

	private volatile @Nullable EncodedMessage structured;

	private volatile @Nullable EncodedMessage binary;

	private OutboundMessage(String destination, @Nullable String key, @Nullable String id, @Nullable Event<?> event,
			@Nullable EventEncoder encoder, @Nullable EncodedMessage encoded) {
		this.destination = Objects.requireNonNull(destination, "destination");
		this.key = key;
		this.id = id;
		this.event = event;
		this.encoder = encoder;
		this.structured = encoded;
		this.binary = encoded;
	}

	/**
	 * Create a message for an event.
	 * @param destination the destination
	 * @param event the event; its subject is the key
	 * @param encoder encodes the event in a content mode, when an adapter first asks
	 * @return the message
	 */
	public static OutboundMessage ofEvent(String destination, Event<?> event, EventEncoder encoder) {
		return new OutboundMessage(destination, event.subject(), null, event,
				Objects.requireNonNull(encoder, "encoder"), null);
	}

	/**
	 * Create a raw message, sent with exactly these headers and body in every content
	 * mode.
	 * @param destination the destination
	 * @param key the key, or {@code null}
	 * @param id an id for logs and results
	 * @param headers the headers
	 * @param body the body
	 * @return the message
	 */
	public static OutboundMessage raw(String destination, @Nullable String key, String id, Map<String, String> headers,
			byte[] body) {
		return new OutboundMessage(destination, key, Objects.requireNonNull(id, "id"), null, null,
				new EncodedMessage(headers, body));
	}

	public String destination() {
		return this.destination;
	}

	/**
	 * Ordering and partition key (the event's subject).
	 * @return the key, or {@code null}
	 */
	public @Nullable String key() {
		return this.key;
	}

	/**
	 * An id for logs and results: the event's id, or the one a raw message was given.
	 * @return the id
	 */
	public String id() {
		Event<?> event = this.event;
		return (event != null) ? event.id() : Objects.requireNonNull(this.id);
	}

	/**
	 * The event, for adapters that hand it over in process.
	 * @return the event, or {@code null} for a raw message
	 */
	public @Nullable Event<?> event() {
		return this.event;
	}

	/**
	 * The message encoded in a content mode; computed once per mode.
	 * @param mode the content mode
	 * @return headers and body
	 */
	public EncodedMessage encoded(ContentMode mode) {
		if (mode == ContentMode.STRUCTURED) {
			EncodedMessage result = this.structured;
			if (result == null) {
				result = encode(mode);
				this.structured = result;
			}
			return result;
		}
		EncodedMessage result = this.binary;
		if (result == null) {
			result = encode(mode);
			this.binary = result;
		}
		return result;
	}

	/**
	 * Encode the event; only called for a message of an event, whose encodings start
	 * unset.
	 */
	private EncodedMessage encode(ContentMode mode) {
		EventEncoder encoder = Objects.requireNonNull(this.encoder, "encoder");
		return encoder.encode(Objects.requireNonNull(this.event, "event"), mode);
	}

	@Override
	public String toString() {
		return "OutboundMessage[destination=" + this.destination + ", key=" + this.key + ", id=" + id() + "]";
	}

}
