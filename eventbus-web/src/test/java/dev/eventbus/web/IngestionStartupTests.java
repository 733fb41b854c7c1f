package dev.eventbus.web;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.web.autoconfigure.EventBusWebAutoConfiguration;
import dev.eventbus.web.autoconfigure.RealtimeAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the endpoint's configuration does at start-up: nothing unless enabled, and a clear
 * failure for a setting it cannot honour.
 */
class IngestionStartupTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class, EventBusWebAutoConfiguration.class))
		.withPropertyValues("eventbus.web.ingestion.allowed-types=order.*");

	@Test
	void theEndpointIsOffByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventIngestionHandler.class));
	}

	@Test
	void aSecuredEndpointWithoutSpringSecurityFailsToStartSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.withPropertyValues("eventbus.web.ingestion.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Spring Security is not on the classpath: add spring-boot-starter-security")
				.hasMessageContaining("eventbus.web.ingestion.security.enabled=false"));
	}

	@Test
	void anUnsecuredEndpointStartsWithoutSpringSecurity() {
		this.runner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.withPropertyValues("eventbus.web.ingestion.enabled=true", "eventbus.web.ingestion.security.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EventIngestionHandler.class));
	}

	@Test
	void theRealtimeBridgeWithoutWebSocketMessagingFailsToStartSayingWhatToAdd() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class, RealtimeAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebSocketMessageBrokerConfigurer.class))
			.withPropertyValues("eventbus.realtime.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("add spring-boot-starter-websocket"));
	}

	@Test
	void anEndpointWithoutAllowedTypesFailsToStartSayingWhatToList() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EventBusAutoConfiguration.class, EventBusWebAutoConfiguration.class))
			.withPropertyValues("eventbus.web.ingestion.enabled=true", "eventbus.web.ingestion.security.enabled=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("eventbus.web.ingestion.allowed-types is empty"));
	}

}
