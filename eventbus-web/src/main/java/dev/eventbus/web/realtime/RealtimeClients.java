package dev.eventbus.web.realtime;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.eventbus.web.realtime.SseClient.SseEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.web.servlet.function.ServerResponse.SseBuilder;
import org.springframework.web.socket.WebSocketHandler;

/**
 * The clients connected to this instance, over STOMP and SSE, and the delivery of pushes
 * to them: a room's push to the clients in the room, a user's push to every client of the
 * user and to no one else, a broadcast to every client. Thread safe.
 */
public final class RealtimeClients implements AutoCloseable {

	/** Prefix of the STOMP destinations of rooms: {@code /topic/rooms/<room>}. */
	public static final String ROOM_PREFIX = "/topic/rooms/";

	/** STOMP destination of broadcasts. */
	public static final String BROADCAST = "/topic/broadcast";

	/**
	 * STOMP user destination of a user's pushes, subscribed as
	 * {@code /user/queue/events}.
	 */
	public static final String USER_QUEUE = "/queue/events";

	private final Supplier<@Nullable SimpMessagingTemplate> stomp;

	private final Executor executor;

	private final int sseBuffer;

	private final RecentPushes recent;

	private final @Nullable PushHistory history;

	private final Map<String, StompSession> stompSessions = new ConcurrentHashMap<>();

	private final CopyOnWriteArrayList<SseClient> sseClients = new CopyOnWriteArrayList<>();

	private final AtomicLong pushes = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	/**
	 * Create the registry.
	 * @param stomp gives what sends to STOMP clients, or {@code null} without STOMP
	 * @param executor sends to SSE clients
	 * @param sseBuffer pushes an SSE client may have waiting before it is disconnected
	 * @param recent pushes kept for SSE clients that reconnect
	 * @param history where SSE clients that reconnect find what the kept pushes no longer
	 * have, or {@code null}
	 */
	public RealtimeClients(Supplier<@Nullable SimpMessagingTemplate> stomp, Executor executor, int sseBuffer,
			int recent, @Nullable PushHistory history) {
		this.stomp = stomp;
		this.executor = executor;
		this.sseBuffer = sseBuffer;
		this.recent = new RecentPushes(recent);
		this.history = history;
	}

	/**
	 * Deliver a push to the clients of this instance that receive it.
	 * @param push the push
	 */
	public void deliver(Push push) {
		this.pushes.incrementAndGet();
		this.recent.add(push);
		SimpMessagingTemplate template = this.stomp.get();
		SseEvent event = SseEvent.of(push);
		if (template != null) {
			String json = event.data();
			switch (push.audience()) {
				case ROOM -> template.convertAndSend(ROOM_PREFIX + push.name(), json);
				case USER -> template.convertAndSendToUser(String.valueOf(push.name()), USER_QUEUE, json);
				case BROADCAST -> template.convertAndSend(BROADCAST, json);
			}
		}
		for (SseClient client : this.sseClients) {
			if (client.receives(push) && !client.offer(event, this.executor)) {
				this.sseClients.remove(client);
				this.dropped.incrementAndGet();
			}
		}
	}

	/**
	 * Connect an SSE client, first sending it what it missed since its last push.
	 * @param user the user
	 * @param rooms the rooms it joins
	 * @param lastEventId the id of the last push it got, or {@code null}
	 * @param sse the client's stream
	 */
	void connect(Principal user, Set<String> rooms, @Nullable String lastEventId, SseBuilder sse) {
		SseClient client = new SseClient(user, rooms, sse, this.sseBuffer);
		try {
			// sends the response headers: clients see the stream open before the first
			// push
			sse.comment("connected").send();
		}
		catch (IOException ex) {
			return;
		}
		sse.onComplete(() -> disconnect(client));
		sse.onTimeout(() -> disconnect(client));
		sse.onError((ex) -> disconnect(client));
		if (lastEventId != null) {
			List<Push> kept = this.recent.after(lastEventId);
			List<Push> missedPushes = (kept.isEmpty() && this.history != null) ? this.history.after(lastEventId) : kept;
			for (Push missed : missedPushes) {
				if (client.receives(missed)) {
					client.offer(SseEvent.of(missed), this.executor);
				}
			}
		}
		this.sseClients.add(client);
	}

	private void disconnect(SseClient client) {
		client.close();
		this.sseClients.remove(client);
	}

	void stompConnected(String session, Principal user) {
		this.stompSessions.put(session, new StompSession(user.getName()));
	}

	void stompJoined(String session, String subscription, String room) {
		StompSession joined = this.stompSessions.get(session);
		if (joined != null) {
			joined.rooms().put(subscription, room);
		}
	}

	void stompLeft(String session, String subscription) {
		StompSession left = this.stompSessions.get(session);
		if (left != null) {
			left.rooms().remove(subscription);
		}
	}

	void stompDisconnected(String session) {
		this.stompSessions.remove(session);
	}

	void slowClientDisconnected() {
		this.dropped.incrementAndGet();
	}

	/**
	 * Decorate the WebSocket handler to count the clients Spring disconnects for being
	 * too slow.
	 * @param handler the handler
	 * @return the decorated handler
	 */
	public WebSocketHandler countingSlowClients(WebSocketHandler handler) {
		return new SlowClients(handler, this);
	}

	/**
	 * The users in a room on this instance.
	 * @param room the room
	 * @return their names, sorted
	 */
	public Set<String> roomMembers(String room) {
		Set<String> members = new TreeSet<>();
		this.stompSessions.values()
			.stream()
			.filter((session) -> session.rooms().containsValue(room))
			.forEach((session) -> members.add(session.user()));
		this.sseClients.stream()
			.filter((client) -> client.rooms().contains(room))
			.forEach((client) -> members.add(client.user().getName()));
		return members;
	}

	/**
	 * The rooms that have a client on this instance.
	 * @return the rooms, sorted
	 */
	public Set<String> rooms() {
		Set<String> rooms = new TreeSet<>();
		this.stompSessions.values().forEach((session) -> rooms.addAll(session.rooms().values()));
		this.sseClients.forEach((client) -> rooms.addAll(client.rooms()));
		return rooms;
	}

	public int stompClients() {
		return this.stompSessions.size();
	}

	public int sseClients() {
		return this.sseClients.size();
	}

	/**
	 * Pushes delivered since start.
	 * @return the count
	 */
	public long pushes() {
		return this.pushes.get();
	}

	/**
	 * Clients disconnected for being too slow since start.
	 * @return the count
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * End the SSE streams, so that the server can stop.
	 */
	@Override
	public void close() {
		for (SseClient client : this.sseClients) {
			client.complete();
		}
		this.sseClients.clear();
	}

	private record StompSession(String user, Map<String, String> rooms) {

		StompSession(String user) {
			this(user, new ConcurrentHashMap<>());
		}

	}

}
