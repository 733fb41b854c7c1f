package dev.eventbus.web.autoconfigure;

import java.util.Map;

import dev.eventbus.autoconfigure.endpoint.EventBusEndpointContribution;
import dev.eventbus.web.realtime.RealtimeClients;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bridge's meters ({@code eventbus.realtime.clients} by transport,
 * {@code eventbus.realtime.rooms}, {@code eventbus.realtime.pushes},
 * {@code eventbus.realtime.dropped}) and its health contributor
 * ({@code eventbusRealtime}: clients and rooms as details), each when its library is
 * present, and the same details under {@code extensions.realtime} of the {@code eventbus}
 * actuator endpoint.
 */
@Configuration(proxyBeanMethods = false)
class RealtimeObservability {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		MeterBinder eventBusRealtimeMeters(RealtimeClients clients) {
			return (registry) -> {
				Gauge.builder("eventbus.realtime.clients", clients, RealtimeClients::stompClients)
					.tag("transport", "stomp")
					.description("Clients connected to this instance")
					.register(registry);
				Gauge.builder("eventbus.realtime.clients", clients, RealtimeClients::sseClients)
					.tag("transport", "sse")
					.description("Clients connected to this instance")
					.register(registry);
				Gauge.builder("eventbus.realtime.rooms", clients, (tracked) -> tracked.rooms().size())
					.description("Rooms with a client on this instance")
					.register(registry);
				FunctionCounter.builder("eventbus.realtime.pushes", clients, RealtimeClients::pushes)
					.description("Pushes delivered to the clients of this instance")
					.register(registry);
				FunctionCounter.builder("eventbus.realtime.dropped", clients, RealtimeClients::dropped)
					.description("Clients disconnected for being too slow")
					.register(registry);
			};
		}

	}

	@Bean
	EventBusEndpointContribution eventBusRealtimeEndpointContribution(RealtimeClients clients) {
		return new EventBusEndpointContribution() {

			@Override
			public String name() {
				return "realtime";
			}

			@Override
			public Object describe() {
				return details(clients);
			}

		};
	}

	static Map<String, Object> details(RealtimeClients clients) {
		return Map.of("stompClients", clients.stompClients(), "sseClients", clients.sseClients(), "rooms",
				clients.rooms(), "droppedClients", clients.dropped());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthContributor {

		@Bean
		HealthIndicator eventbusRealtimeHealthIndicator(RealtimeClients clients) {
			return () -> Health.up()
				.withDetails(Map.of("stompClients", clients.stompClients(), "sseClients", clients.sseClients(), "rooms",
						clients.rooms(), "droppedClients", clients.dropped()))
				.build();
		}

	}

}
