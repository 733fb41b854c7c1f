package dev.eventbus.web.realtime;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.eventbus.api.EventType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One push to clients, as it crosses the bus from the instance that made it to every
 * instance: who receives it, and the event they receive, a structured CloudEvent.
 *
 * @param audience who receives it
 * @param name the room or the user; {@code null} for a broadcast
 * @param event the event as a structured CloudEvent
 */
@EventType(Push.TYPE)
public record Push(Audience audience, @Nullable String name, JsonNode event) {

	/** Bus event type of a push. */
	public static final String TYPE = "eventbus.realtime.push";

	/**
	 * The id of the pushed event.
	 * @return its id
	 */
	public String id() {
		return this.event.path("id").asString();
	}

	/**
	 * The id of the push as an SSE event: the pushed event's time in epoch milliseconds
	 * and its id, so that a client that reconnects can be found a place in the event log.
	 * @return {@code <millis>-<id>}
	 */
	public String sseId() {
		String time = this.event.path("time").asString("");
		long millis = 0;
		if (!time.isEmpty()) {
			try {
				millis = Instant.parse(time).toEpochMilli();
			}
			catch (DateTimeParseException ex) {
				// no usable time: the id alone
			}
		}
		return millis + "-" + id();
	}

	/** Who receives a push. */
	public enum Audience {

		/** The clients in a room. */
		ROOM,

		/** The clients of one user. */
		USER,

		/** Every client. */
		BROADCAST

	}

}
