package dev.eventbus.autoconfigure.jdbc;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusBuilderCustomizer;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusProperties.Outbox;
import dev.eventbus.autoconfigure.EventBusProperties.Retry;
import dev.eventbus.autoconfigure.EventBusProperties.SchemaInitialization;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLogRecorder;
import dev.eventbus.jdbc.EventLogReplays;
import dev.eventbus.jdbc.JdbcInbox;
import dev.eventbus.jdbc.JdbcOutbox;
import dev.eventbus.jdbc.JdbcPlatform;
import dev.eventbus.jdbc.JdbcSchema;
import dev.eventbus.jdbc.JdbcTables;
import dev.eventbus.jdbc.OutboxEventBusAdapter;
import dev.eventbus.jdbc.OutboxRelay;
import dev.eventbus.jdbc.OutboxSettings;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.runtime.SubscribeOptions;
import dev.eventbus.spi.EventBusAdapter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The transactional outbox ({@code eventbus.outbox.enabled}), the idempotent inbox
 * ({@code eventbus.inbox.enabled}) and the event log ({@code eventbus.log.enabled}) on
 * the application's {@link DataSource}, with their tables created when
 * {@code eventbus.jdbc.initialize-schema} says so.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnClass({ JdbcOutbox.class, JdbcClient.class })
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
public final class EventBusJdbcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventBusJdbcSchema eventBusJdbcSchema(DataSource dataSource, EventBusProperties properties) {
		JdbcPlatform platform = JdbcPlatform.of(dataSource);
		JdbcTables tables = new JdbcTables(properties.getJdbc().getTablePrefix());
		SchemaInitialization mode = properties.getJdbc().getInitializeSchema();
		boolean used = properties.getOutbox().isEnabled() || properties.getInbox().isEnabled()
				|| properties.getLog().isEnabled();
		if (used && (mode == SchemaInitialization.ALWAYS
				|| (mode == SchemaInitialization.EMBEDDED && platform == JdbcPlatform.H2))) {
			JdbcSchema.create(dataSource, platform, tables);
		}
		return new EventBusJdbcSchema(platform, tables);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("eventbus.outbox.enabled")
	static class OutboxConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcOutbox eventBusOutbox(DataSource dataSource, EventBusJdbcSchema schema,
				ObjectProvider<JsonMapper> jsonMapper) {
			return new JdbcOutbox(dataSource, schema.tables(),
					jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
		}

		@Bean
		@ConditionalOnMissingBean
		OutboxRelay eventBusOutboxRelay(JdbcOutbox outbox, DataSource dataSource, EventBusAdapter eventBusAdapter,
				ObjectProvider<JsonMapper> jsonMapper, EventBusProperties properties) {
			Outbox settings = properties.getOutbox();
			Retry retry = settings.getRetry();
			OutboxSettings outboxSettings = new OutboxSettings(settings.getBatchSize(), settings.getSweepInterval(),
					settings.getSendTimeout(),
					new RetrySettings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
							retry.getMaxDelay(), retry.getJitter()),
					settings.isKeepSent(), properties.getDeadLetterSuffix());
			return new OutboxRelay(outbox, dataSource, eventBusAdapter,
					new JsonEventCodec(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()),
							PlainJsonMapping.DEFAULT),
					outboxSettings);
		}

		@Bean
		OutboxRelayLifecycle eventBusOutboxRelayLifecycle(OutboxRelay relay) {
			return new OutboxRelayLifecycle(relay);
		}

		@Bean
		EventBusBuilderCustomizer eventBusOutboxCustomizer(JdbcOutbox outbox, OutboxRelay relay,
				EventBusProperties properties) {
			String suffix = properties.getDeadLetterSuffix();
			return (builder) -> builder
				.decorateAdapter((adapter) -> new OutboxEventBusAdapter(adapter, outbox, relay, suffix));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("eventbus.outbox.enabled")
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("eventbusOutbox")
	static class OutboxHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "eventbusOutboxHealthIndicator")
		HealthIndicator eventbusOutboxHealthIndicator(OutboxRelay relay, EventBusProperties properties) {
			return new OutboxHealthIndicator(relay, properties.getOutbox().getMaxPendingAge());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("eventbus.outbox.enabled")
	@ConditionalOnClass(MeterBinder.class)
	static class OutboxMetricsConfiguration {

		@Bean
		MeterBinder eventBusOutboxMeters(OutboxRelay relay) {
			return (registry) -> {
				Gauge.builder("eventbus.outbox.pending", relay, (outbox) -> outbox.figures().pending())
					.description("Events recorded in the outbox and not sent yet")
					.register(registry);
				Gauge.builder("eventbus.outbox.failed", relay, (outbox) -> outbox.figures().failed())
					.description("Outbox rows given up on, waiting as dead letters")
					.register(registry);
				Gauge
					.builder("eventbus.outbox.oldest.age", relay, (outbox) -> (outbox.figures().oldestPending() != null)
							? Duration.between(outbox.figures().oldestPending(), Instant.now()).toMillis() / 1000.0
							: 0.0)
					.description("Age of the oldest pending outbox row")
					.baseUnit("seconds")
					.register(registry);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("eventbus.inbox.enabled")
	static class InboxConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcInbox eventBusInbox(DataSource dataSource, ObjectProvider<PlatformTransactionManager> transactionManager,
				EventBusJdbcSchema schema) {
			PlatformTransactionManager manager = transactionManager.getIfUnique(() -> {
				throw new IllegalStateException("eventbus.inbox.enabled needs one PlatformTransactionManager, on the "
						+ "DataSource of the inbox table: add spring-boot-starter-jdbc (or JPA), or define one");
			});
			return new JdbcInbox(dataSource, manager, schema.platform(), schema.tables());
		}

		@Bean
		PeriodicCleanup eventBusInboxCleanup(JdbcInbox inbox, EventBusProperties properties) {
			Duration retention = properties.getInbox().getRetention();
			return new PeriodicCleanup("inbox", () -> inbox.deleteExpired(retention),
					properties.getInbox().getCleanupInterval());
		}

		@Bean
		EventBusBuilderCustomizer eventBusInboxCustomizer(JdbcInbox inbox) {
			return (builder) -> builder.inbox(inbox);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("eventbus.log.enabled")
	static class EventLogConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventLog eventBusEventLog(DataSource dataSource, EventBusJdbcSchema schema,
				ObjectProvider<JsonMapper> jsonMapper) {
			JsonMapper mapper = jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
			return new EventLog(dataSource, schema.platform(), schema.tables(),
					new JsonEventCodec(mapper, PlainJsonMapping.DEFAULT), mapper);
		}

		@Bean
		@ConditionalOnMissingBean
		EventLogRecorder eventBusEventLogRecorder(EventLog log, EventBusProperties properties) {
			return new EventLogRecorder(log, properties.getLog().getTypes());
		}

		@Bean
		@ConditionalOnMissingBean
		EventLogReplays eventBusEventLogReplays(EventLog log, EventBus eventBus) {
			return new EventLogReplays(log, eventBus.adapter(), eventBus.codec());
		}

		@Bean
		InitializingBean eventBusConsumedEventsRecording(EventBus eventBus, EventLog log, EventLogRecorder recorder,
				EventBusProperties properties) {
			return () -> {
				for (String destination : properties.getLog().getConsumedDestinations()) {
					eventBus.subscribe("*", JsonNode.class, (event) -> {
						if (recorder.records(event.type())) {
							log.record(event, destination);
						}
					}, SubscribeOptions.DEFAULTS.withId("event-log-" + destination)
						.withIsolated(true)
						.withDestinations(destination));
				}
			};
		}

		@Bean
		PeriodicCleanup eventBusEventLogCleanup(EventLog log, EventBusProperties properties) {
			EventBusProperties.Log settings = properties.getLog();
			return new PeriodicCleanup("event log", () -> {
				int deleted = 0;
				if (settings.getRetention() != null) {
					deleted += log.deleteOlderThan(settings.getRetention());
				}
				if (settings.getMaxEvents() != null) {
					deleted += log.keepNewest(settings.getMaxEvents());
				}
				return deleted;
			}, settings.getCleanupInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
		@ConditionalOnAvailableEndpoint(EventLogEndpoint.class)
		EventLogEndpoint eventLogEndpoint(EventLog log, EventLogReplays replays) {
			return new EventLogEndpoint(log, replays);
		}

	}

	/**
	 * The database of the outbox and inbox, and their table names; the tables exist once
	 * this bean does, when the schema initialization mode created them.
	 *
	 * @param platform the database
	 * @param tables the table names
	 */
	public record EventBusJdbcSchema(JdbcPlatform platform, JdbcTables tables) {
	}

}
