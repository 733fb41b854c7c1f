package dev.eventbus.web.autoconfigure;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventInbox;
import dev.eventbus.web.EventIngestion;
import dev.eventbus.web.EventIngestionHandler;
import dev.eventbus.web.HttpCloudEvents;
import dev.eventbus.web.InboxDeduplicator;
import dev.eventbus.web.IngestionDeduplicator;
import dev.eventbus.web.IngestionPolicy;
import dev.eventbus.web.RecentEventIds;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The HTTP ingestion endpoint ({@code eventbus.web.ingestion.enabled}): a {@code POST}
 * route that publishes CloudEvents through the application's bus, secured by
 * {@link IngestionSecurityConfiguration} unless
 * {@code eventbus.web.ingestion.security.enabled=false}. Repeats are recognised through
 * the bus's inbox when there is one ({@code eventbus.inbox.enabled}), else in memory.
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class,
		afterName = "dev.eventbus.autoconfigure.jdbc.EventBusJdbcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty("eventbus.web.ingestion.enabled")
@ConditionalOnBean(EventBus.class)
@EnableConfigurationProperties(EventBusWebProperties.class)
@Import({ IngestionSecurityConfiguration.class, IngestionSecurityConfiguration.Missing.class })
public final class EventBusWebAutoConfiguration {

	/** Consumer group under which the inbox records the events taken. */
	static final String INBOX_GROUP = "eventbus-web";

	@Bean
	@ConditionalOnMissingBean
	IngestionDeduplicator eventBusIngestionDeduplicator(ObjectProvider<EventInbox> inbox,
			EventBusWebProperties properties) {
		EventInbox available = inbox.getIfAvailable();
		return (available != null) ? new InboxDeduplicator(available, INBOX_GROUP, properties.getPath())
				: new RecentEventIds(properties.getDeduplicationWindow());
	}

	@Bean
	@ConditionalOnMissingBean
	IngestionPolicy eventBusIngestionPolicy(EventBusWebProperties properties, EventBusProperties busProperties,
			Environment environment) {
		String ownSource = (busProperties.getSource() != null) ? busProperties.getSource()
				: "urn:eventbus:" + environment.getProperty("spring.application.name", "application");
		return new IngestionPolicy(properties.getAllowedTypes(), properties.getAllowedSources(), ownSource,
				properties.getDefaultSource());
	}

	@Bean
	EventIngestionHandler eventBusIngestionHandler(EventBus eventBus, EventPublisher publisher, IngestionPolicy policy,
			IngestionDeduplicator deduplicator, EventBusWebProperties properties) {
		return new EventIngestionHandler(new HttpCloudEvents(eventBus.codec()),
				new EventIngestion(publisher, policy, deduplicator), policy, properties.getMaxBodySize(),
				properties.getRetryAfter());
	}

	@Bean
	RouterFunction<ServerResponse> eventBusIngestionRoute(EventIngestionHandler handler,
			EventBusWebProperties properties) {
		return RouterFunctions.route().POST(properties.getPath(), handler).build();
	}

}
