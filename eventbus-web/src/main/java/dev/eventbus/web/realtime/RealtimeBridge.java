package dev.eventbus.web.realtime;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.web.realtime.Push.Audience;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Pushes events to browsers: to the clients in a room, to every client of a user, or to
 * every client, whichever instance of the application they are connected to. A push
 * crosses the bus (destination {@code eventbus.realtime.destination}) and every instance
 * delivers it to its own clients. Clients receive structured CloudEvents. Thread safe.
 */
public final class RealtimeBridge {

	private final EventPublisher publisher;

	private final JsonEventCodec codec;

	private final String destination;

	private final RealtimeClients clients;

	private final String source;

	/**
	 * Create the bridge.
	 * @param publisher publishes the pushes
	 * @param codec writes the events clients receive
	 * @param destination the destination of pushes
	 * @param clients the clients of this instance
	 * @param source the source of the events pushed with {@link #publishToRoom} and the
	 * like
	 */
	public RealtimeBridge(EventPublisher publisher, JsonEventCodec codec, String destination, RealtimeClients clients,
			String source) {
		this.publisher = publisher;
		this.codec = codec;
		this.destination = destination;
		this.clients = clients;
		this.source = source;
	}

	/**
	 * Push an event to the clients in a room.
	 * @param room the room, such as {@code photo:123}
	 * @param type the event type
	 * @param data the event data, written as JSON
	 */
	public void publishToRoom(String room, String type, Object data) {
		forward(event(type, data), Audience.ROOM, room);
	}

	/**
	 * Push an event to every client of a user, and to no one else.
	 * @param user the user's name, as Spring Security authenticated it
	 * @param type the event type
	 * @param data the event data, written as JSON
	 */
	public void publishToUser(String user, String type, Object data) {
		forward(event(type, data), Audience.USER, user);
	}

	/**
	 * Push an event to every client.
	 * @param type the event type
	 * @param data the event data, written as JSON
	 */
	public void broadcast(String type, Object data) {
		forward(event(type, data), Audience.BROADCAST, null);
	}

	/**
	 * Push an event of the bus, as it is (its id, type, subject, time and data).
	 * @param event the event
	 * @param audience who receives it
	 * @param name the room or user, {@code null} for a broadcast
	 */
	public void forward(Event<?> event, Audience audience, @Nullable String name) {
		JsonNode written = this.codec.objectMapper().readTree(this.codec.encode(event, ContentMode.STRUCTURED).body());
		Push push = new Push(audience, name, written);
		this.publisher.publish(EventMessage.of(Push.TYPE, push).destination(this.destination).build());
	}

	/**
	 * The users in a room, among the clients of this instance.
	 * @param room the room
	 * @return their names
	 */
	public Set<String> roomMembers(String room) {
		return this.clients.roomMembers(room);
	}

	private Event<Object> event(String type, Object data) {
		return Event.withRandomId(type, this.source, Instant.now(), null, null, null, Map.of(), data);
	}

}
