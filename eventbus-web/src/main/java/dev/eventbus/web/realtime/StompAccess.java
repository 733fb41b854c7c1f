package dev.eventbus.web.realtime;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * What a STOMP client may do: connect only as an authenticated user (the principal of the
 * WebSocket handshake, as the application's Spring Security authenticated it), subscribe
 * only to rooms the {@link RoomAuthorizer} lets it join, to broadcasts and to its own
 * user queue, and send nothing. A refusal is a STOMP {@code ERROR} frame that says why.
 * Keeps {@link RealtimeClients} informed of who is connected and in which rooms.
 */
public final class StompAccess implements ChannelInterceptor, ApplicationListener<SessionDisconnectEvent> {

	private static final String OWN_QUEUE = "/user" + RealtimeClients.USER_QUEUE;

	private final RoomAuthorizer authorizer;

	private final RealtimeClients clients;

	public StompAccess(RoomAuthorizer authorizer, RealtimeClients clients) {
		this.authorizer = authorizer;
		this.clients = clients;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (stomp == null || stomp.getCommand() == null) {
			return message;
		}
		String session = String.valueOf(stomp.getSessionId());
		switch (stomp.getCommand()) {
			case CONNECT, STOMP -> this.clients.stompConnected(session, user(stomp));
			case SUBSCRIBE -> subscribe(stomp, session);
			case UNSUBSCRIBE -> this.clients.stompLeft(session, String.valueOf(stomp.getSubscriptionId()));
			case SEND -> throw new MessagingException(
					"Clients of the event bus only receive: publish with the EventPublisher or over HTTP");
			default -> {
			}
		}
		return message;
	}

	private void subscribe(StompHeaderAccessor stomp, String session) {
		Principal user = user(stomp);
		String destination = String.valueOf(stomp.getDestination());
		if (destination.startsWith(RealtimeClients.ROOM_PREFIX)) {
			String room = destination.substring(RealtimeClients.ROOM_PREFIX.length());
			if (room.isEmpty() || !this.authorizer.mayJoin(user, room)) {
				throw new MessagingException("User '" + user.getName() + "' may not join room '" + room + "'");
			}
			this.clients.stompJoined(session, String.valueOf(stomp.getSubscriptionId()), room);
		}
		else if (!destination.equals(RealtimeClients.BROADCAST) && !destination.equals(OWN_QUEUE)) {
			throw new MessagingException("Cannot subscribe to '" + destination + "': subscribe to "
					+ RealtimeClients.ROOM_PREFIX + "<room>, " + RealtimeClients.BROADCAST + " or " + OWN_QUEUE);
		}
	}

	private static Principal user(StompHeaderAccessor stomp) {
		@Nullable Principal user = stomp.getUser();
		if (user == null) {
			throw new MessagingException("Not authenticated: connect with the credentials of a user of the "
					+ "application (the WebSocket handshake is authenticated by Spring Security)");
		}
		return user;
	}

	@Override
	public void onApplicationEvent(SessionDisconnectEvent event) {
		this.clients.stompDisconnected(event.getSessionId());
	}

}
