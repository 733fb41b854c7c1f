package dev.eventbus.api;

import org.jspecify.annotations.Nullable;

/**
 * Outcome of a publish the adapter accepted durably.
 *
 * @param eventId id of the published event
 * @param type event type
 * @param destination destination written to
 * @param position where the broker stored the event (Kafka {@code partition@offset},
 * Redis stream entry id, SQS message id, in-memory sequence number), or {@code null} when
 * the adapter has none
 * @param correlationId correlation id the event carries: given, inherited from the event
 * being handled, or its own id
 */
public record PublishResult(String eventId, String type, String destination, @Nullable String position,
		String correlationId) {

}
