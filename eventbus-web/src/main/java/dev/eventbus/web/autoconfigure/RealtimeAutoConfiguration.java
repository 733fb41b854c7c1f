package dev.eventbus.web.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.web.realtime.EventLogPushHistory;
import dev.eventbus.web.realtime.ForwardingRule;
import dev.eventbus.web.realtime.RealtimeBridge;
import dev.eventbus.web.realtime.PushHistory;
import dev.eventbus.web.realtime.RealtimeClients;
import dev.eventbus.web.realtime.RealtimeSubscriptions;
import dev.eventbus.web.realtime.RoomAuthorizer;
import dev.eventbus.web.realtime.SseEndpoint;
import dev.eventbus.web.realtime.StompAccess;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The real-time bridge ({@code eventbus.realtime.enabled}): the {@link RealtimeBridge}
 * bean, the forwarding rules, the per-instance subscription to the pushes, the SSE
 * endpoint, and STOMP over WebSocket ({@link RealtimeWebSocketConfiguration}).
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty("eventbus.realtime.enabled")
@ConditionalOnBean(EventBus.class)
@EnableConfigurationProperties(RealtimeProperties.class)
@Import({ RealtimeAutoConfiguration.Bridge.class, RealtimeAutoConfiguration.MissingWebSocket.class })
public final class RealtimeAutoConfiguration {

	/** Most pushes read from the event log for one reconnection. */
	static final int HISTORY_LIMIT = 1000;

	/** The event log of eventbus-jdbc. */
	static final String EVENT_LOG = "dev.eventbus.jdbc.EventLog";

	/** The STOMP support the bridge is built on. */
	static final String WEBSOCKET = "org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer";

	/**
	 * Without Spring's WebSocket messaging the bridge cannot start: fail at start-up
	 * saying what to add.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(WEBSOCKET)
	static class MissingWebSocket {

		MissingWebSocket() {
			throw new IllegalStateException("eventbus.realtime.enabled is true but Spring's WebSocket messaging is not "
					+ "on the classpath: add spring-boot-starter-websocket");
		}

	}

	/**
	 * SSE clients that reconnect resume from the event log when the application has one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = EVENT_LOG)
	static class History {

		@Bean
		@ConditionalOnBean(type = EVENT_LOG)
		PushHistory eventBusRealtimePushHistory(EventLog log, EventBus eventBus) {
			return new EventLogPushHistory(log, eventBus.codec().objectMapper(), HISTORY_LIMIT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = WEBSOCKET, value = SimpMessagingTemplate.class)
	@Import({ RealtimeWebSocketConfiguration.class, RealtimeObservability.class, History.class })
	static class Bridge {

		@Bean
		@ConditionalOnMissingBean
		RoomAuthorizer eventBusRoomAuthorizer() {
			return (user, room) -> true;
		}

		@Bean
		RealtimeClients eventBusRealtimeClients(ObjectProvider<SimpMessagingTemplate> stomp,
				ObjectProvider<PushHistory> history, RealtimeProperties properties) {
			Executor executor = Executors.newFixedThreadPool(2, (task) -> {
				Thread thread = new Thread(task, "eventbus-sse");
				thread.setDaemon(true);
				return thread;
			});
			return new RealtimeClients(stomp::getIfAvailable, executor, properties.getSse().getBuffer(),
					properties.getRecentPushes(), history.getIfAvailable());
		}

		/**
		 * Ends the SSE streams when the application stops, before the web server's
		 * graceful shutdown, which would otherwise wait for them.
		 */
		@Bean
		SmartLifecycle eventBusRealtimeClientsLifecycle(RealtimeClients clients) {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					this.running = true;
				}

				@Override
				public void stop() {
					this.running = false;
					clients.close();
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

			};
		}

		@Bean
		StompAccess eventBusStompAccess(RoomAuthorizer authorizer, RealtimeClients clients) {
			return new StompAccess(authorizer, clients);
		}

		@Bean
		RealtimeBridge eventBusRealtimeBridge(EventPublisher publisher, EventBus eventBus, RealtimeClients clients,
				RealtimeProperties properties, EventBusProperties busProperties, Environment environment) {
			String source = (busProperties.getSource() != null) ? busProperties.getSource()
					: "urn:eventbus:" + environment.getProperty("spring.application.name", "application");
			return new RealtimeBridge(publisher, eventBus.codec(), properties.getDestination(), clients, source);
		}

		@Bean
		RealtimeSubscriptions eventBusRealtimeSubscriptions(EventBus eventBus, RealtimeBridge bridge,
				RealtimeClients clients, RealtimeProperties properties) {
			List<ForwardingRule> rules = properties.getForward()
				.stream()
				.map((rule) -> new ForwardingRule(rule.getTypes(), rule.getRoom(), rule.getUser(), rule.isBroadcast()))
				.toList();
			return new RealtimeSubscriptions(eventBus, bridge, clients, properties.getDestination(),
					properties.getInstanceId(), properties.getMaxAge(), rules);
		}

		@Bean
		RouterFunction<ServerResponse> eventBusSseRoute(RealtimeClients clients, RoomAuthorizer authorizer,
				RealtimeProperties properties) {
			SseEndpoint endpoint = new SseEndpoint(clients, authorizer, properties.getSse().getTimeout());
			return RouterFunctions.route().GET(properties.getSse().getPath(), endpoint).build();
		}

	}

}
