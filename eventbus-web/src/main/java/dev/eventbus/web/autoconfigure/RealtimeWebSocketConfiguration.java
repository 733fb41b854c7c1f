package dev.eventbus.web.autoconfigure;

import dev.eventbus.web.realtime.RealtimeClients;
import dev.eventbus.web.realtime.StompAccess;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * STOMP over WebSocket at {@code eventbus.realtime.stomp.endpoint}, on Spring's simple
 * broker: rooms are {@code /topic/rooms/<room>}, broadcasts {@code /topic/broadcast}, a
 * user's pushes {@code /user/queue/events}. Each client has a bounded send buffer and
 * send time; a client past either is disconnected and counted.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class RealtimeWebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final RealtimeProperties properties;

	private final ObjectProvider<StompAccess> access;

	private final ObjectProvider<RealtimeClients> clients;

	RealtimeWebSocketConfiguration(RealtimeProperties properties, ObjectProvider<StompAccess> access,
			ObjectProvider<RealtimeClients> clients) {
		this.properties = properties;
		this.access = access;
		this.clients = clients;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint(this.properties.getStomp().getEndpoint())
			.setAllowedOriginPatterns(this.properties.getStomp().getAllowedOrigins().toArray(String[]::new));
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue");
		registry.setApplicationDestinationPrefixes("/app");
		registry.setUserDestinationPrefix("/user");
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.access.getObject());
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setSendBufferSizeLimit((int) this.properties.getStomp().getSendBufferSizeLimit().toBytes())
			.setSendTimeLimit((int) this.properties.getStomp().getSendTimeLimit().toMillis())
			.addDecoratorFactory((handler) -> this.clients.getObject().countingSlowClients(handler));
	}

}
