package dev.eventbus.web.realtime;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Counts the WebSocket clients that Spring closed for being too slow: their send buffer
 * outgrew {@code eventbus.realtime.stomp.send-buffer-size-limit}, or a send took longer
 * than {@code send-time-limit} ({@link CloseStatus#SESSION_NOT_RELIABLE}).
 */
final class SlowClients extends WebSocketHandlerDecorator {

	private final RealtimeClients clients;

	SlowClients(WebSocketHandler delegate, RealtimeClients clients) {
		super(delegate);
		this.clients = clients;
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
		if (CloseStatus.SESSION_NOT_RELIABLE.equalsCode(status)) {
			this.clients.slowClientDisconnected();
		}
		super.afterConnectionClosed(session, status);
	}

}
