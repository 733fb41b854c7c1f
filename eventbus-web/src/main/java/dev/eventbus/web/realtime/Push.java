package dev.eventbus.web.realtime;

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
