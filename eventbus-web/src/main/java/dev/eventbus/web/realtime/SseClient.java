package dev.eventbus.web.realtime;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;

import org.springframework.web.servlet.function.ServerResponse.SseBuilder;

/**
 * One client of the SSE endpoint: its user, its rooms, and a bounded buffer of pushes
 * sent in order by one task at a time on a shared executor, so that a slow client never
 * holds up the bus or the other clients. A client whose buffer is full is disconnected.
 * Thread safe.
 */
final class SseClient {

	private final Principal user;

	private final Set<String> rooms;

	private final SseBuilder sse;

	private final int capacity;

	private final Queue<SseEvent> buffer;

	private boolean sending;

	private boolean closed;

	SseClient(Principal user, Set<String> rooms, SseBuilder sse, int capacity) {
		this.user = user;
		this.rooms = Set.copyOf(rooms);
		this.sse = sse;
		this.capacity = capacity;
		this.buffer = new ArrayDeque<>(Math.min(capacity, 64));
	}

	boolean receives(Push push) {
		return switch (push.audience()) {
			case ROOM -> this.rooms.contains(push.name());
			case USER -> this.user.getName().equals(push.name());
			case BROADCAST -> true;
		};
	}

	Principal user() {
		return this.user;
	}

	Set<String> rooms() {
		return this.rooms;
	}

	/**
	 * Queue a push.
	 * @param push the push as an SSE event, written once for every client
	 * @param executor runs the sending
	 * @return {@code false} when the buffer was full and the client is disconnected
	 */
	boolean offer(SseEvent push, Executor executor) {
		synchronized (this) {
			if (this.closed) {
				return true;
			}
			if (this.buffer.size() >= this.capacity) {
				this.closed = true;
				this.buffer.clear();
				this.sse.error(
						new IllegalStateException("Client too slow: more than " + this.capacity + " pushes waiting"));
				return false;
			}
			this.buffer.add(push);
			if (this.sending) {
				return true;
			}
			this.sending = true;
		}
		executor.execute(this::sendAll);
		return true;
	}

	private void sendAll() {
		while (true) {
			SseEvent next;
			synchronized (this) {
				next = this.buffer.poll();
				if (next == null || this.closed) {
					this.sending = false;
					return;
				}
			}
			try {
				this.sse.id(next.id()).event(next.name()).data(next.data());
			}
			catch (IOException | RuntimeException ex) {
				close();
				return;
			}
		}
	}

	synchronized void close() {
		this.closed = true;
		this.buffer.clear();
	}

	synchronized void complete() {
		close();
		this.sse.complete();
	}

	/**
	 * A push as an SSE event.
	 *
	 * @param id the {@link Push#sseId() SSE id}
	 * @param name the event type
	 * @param data the structured CloudEvent
	 */
	record SseEvent(String id, String name, String data) {

		static SseEvent of(Push push) {
			return new SseEvent(push.sseId(), push.event().path("type").asString(), push.event().toString());
		}

	}

}
