package dev.eventbus.api;

import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * Outcome of a publish the adapter accepted durably. Thread safe; equal when every value is.
 * Serialized by Jackson as an object with the five values, like a record.
 */
@JsonPropertyOrder({ "eventId", "type", "destination", "position", "correlationId" })
public final class PublishResult {

	/** The event's id; {@code null} when read from {@link #event}. */
	private final @Nullable String eventId;

	private final String type;

	private final String destination;

	/** The event's correlation id; {@code null} when read from {@link #event}. */
	private final @Nullable String correlationId;

	/** The event published, whose id is written as text only if read. */
	private final @Nullable Event<?> event;

	private final @Nullable Supplier<@Nullable String> positionSupplier;

	private @Nullable String position;

	/**
	 * Create a result.
	 * @param eventId id of the published event
	 * @param type event type
	 * @param destination destination written to
	 * @param position where the broker stored it, or {@code null}
	 * @param correlationId correlation id the event carries
	 */
	public PublishResult(String eventId, String type, String destination, @Nullable String position,
			String correlationId) {
		this(eventId, type, destination, position, null, correlationId, null);
	}

	/**
	 * Create a result whose position is asked for only when {@link #position()} is first called.
	 * @param eventId id of the published event
	 * @param type event type
	 * @param destination destination written to
	 * @param position supplies where the broker stored it, or {@code null}; called at most once
	 * per thread that asks, so it must return the same value every time
	 * @param correlationId correlation id the event carries
	 */
	public PublishResult(String eventId, String type, String destination, Supplier<@Nullable String> position,
			String correlationId) {
		this(eventId, type, destination, null, Objects.requireNonNull(position, "position"), correlationId, null);
	}

	private PublishResult(@Nullable String eventId, String type, String destination, @Nullable String position,
			@Nullable Supplier<@Nullable String> positionSupplier, @Nullable String correlationId,
			@Nullable Event<?> event) {
		this.eventId = eventId;
		this.type = type;
		this.destination = destination;
		this.position = position;
		this.positionSupplier = positionSupplier;
		this.correlationId = correlationId;
		this.event = event;
	}

	/**
	 * Create the result of publishing an event, whose id and correlation id are read from it only
	 * when asked for, so that an id nobody reads is never written as text.
	 * @param event the event published; it must carry a correlation id
	 * @param destination destination written to
	 * @param position supplies where the broker stored it, or {@code null}; called at most once
	 * per thread that asks, so it must return the same value every time
	 * @return the result
	 */
	public static PublishResult of(Event<?> event, String destination, Supplier<@Nullable String> position) {
		return new PublishResult(null, event.type(), destination, null, Objects.requireNonNull(position, "position"),
				null, event);
	}

	/**
	 * Id of the published event.
	 * @return the id
	 */
	@JsonProperty
	public String eventId() {
		return (this.event != null) ? this.event.id() : this.eventId;
	}

	/**
	 * Event type.
	 * @return the type
	 */
	@JsonProperty
	public String type() {
		return this.type;
	}

	/**
	 * Destination written to.
	 * @return the destination
	 */
	@JsonProperty
	public String destination() {
		return this.destination;
	}

	/**
	 * Where the broker stored the event (Kafka {@code partition@offset}, Redis stream entry id, SQS
	 * message id, in-memory sequence number).
	 * @return the position, or {@code null} when the adapter has none
	 */
	@JsonProperty
	public @Nullable String position() {
		String position = this.position;
		if (position == null && this.positionSupplier != null) {
			position = this.positionSupplier.get();
			this.position = position;
		}
		return position;
	}

	/**
	 * Correlation id the event carries: given, inherited from the event being handled, or its own id.
	 * @return the correlation id
	 */
	@JsonProperty
	public String correlationId() {
		return (this.event != null) ? this.event.correlationId() : this.correlationId;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof PublishResult result && eventId().equals(result.eventId())
				&& this.type.equals(result.type) && this.destination.equals(result.destination)
				&& Objects.equals(position(), result.position()) && correlationId().equals(result.correlationId());
	}

	@Override
	public int hashCode() {
		return Objects.hash(eventId(), this.type, this.destination, position(), correlationId());
	}

	@Override
	public String toString() {
		return "PublishResult[eventId=" + eventId() + ", type=" + this.type + ", destination=" + this.destination
				+ ", position=" + position() + ", correlationId=" + correlationId() + "]";
	}

}
