package dev.eventbus.sample.audit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One event in the timeline of an order.
 *
 * @param type event type
 * @param time when the event was created
 * @param eventId id of the event
 * @param correlationId correlation id of the event's flow
 * @param causationId id of the event whose handler published this one, or {@code null}
 * for the first event of the flow
 * @param data the event data as published
 */
public record TimelineEntry(String type, @Nullable Instant time, String eventId, @Nullable String correlationId,
		@Nullable String causationId, JsonNode data) {

}
