package dev.eventbus.autoconfigure.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.JdbcInbox;
import dev.eventbus.jdbc.OutboxEventBusAdapter;
import dev.eventbus.jdbc.OutboxRelay;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventBusJdbcAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, EventBusJdbcAutoConfiguration.class,
				EventBusAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL");

	@Test
	void publishesInATransactionGoThroughTheOutboxAndReachHandlersOnlyAfterCommit() {
		this.contextRunner.withPropertyValues("eventbus.outbox.enabled=true", "eventbus.outbox.sweep-interval=100ms")
			.withBean(Orders.class)
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context.getBean(EventBus.class).adapter()).isInstanceOf(OutboxEventBusAdapter.class);
				EventPublisher publisher = context.getBean(EventPublisher.class);
				TransactionTemplate transactions = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				transactions.executeWithoutResult((status) -> {
					publisher.publish(EventMessage.of("order.placed", Map.of("n", 1)).id("rolled-back").build());
					status.setRollbackOnly();
				});
				transactions.executeWithoutResult((status) -> publisher
					.publish(EventMessage.of("order.placed", Map.of("n", 2)).id("committed").build()));
				Orders orders = context.getBean(Orders.class);
				await().atMost(WAIT).until(() -> orders.ids.contains("committed"));
				assertThat(orders.ids).containsExactly("committed");
				JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
				await().atMost(WAIT)
					.until(() -> jdbc.sql("SELECT COUNT(*) FROM eventbus_outbox").query(Integer.class).single() == 0);
				HealthIndicator health = context.getBean("eventbusOutboxHealthIndicator", HealthIndicator.class);
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(io.micrometer.core.instrument.binder.MeterBinder.class).bindTo(registry);
				assertThat(registry.get("eventbus.outbox.pending").gauge().value()).isZero();
				assertThat(registry.get("eventbus.outbox.oldest.age").gauge().value()).isZero();
			});
	}

	@Test
	void idempotentHandlersApplyAnEventOnceThroughTheInbox() {
		this.contextRunner.withPropertyValues("eventbus.inbox.enabled=true").withBean(Payments.class).run((context) -> {
			assertThat(context).hasSingleBean(JdbcInbox.class).doesNotHaveBean(OutboxRelay.class);
			EventPublisher publisher = context.getBean(EventPublisher.class);
			publisher.publish(EventMessage.of("payment.taken", Map.of("n", 1)).id("payment-1").build());
			publisher.publish(EventMessage.of("payment.taken", Map.of("n", 1)).id("payment-1").build());
			EventBus bus = context.getBean(EventBus.class);
			await().atMost(WAIT).until(() -> bus.statistics().count("payments", Counter.DUPLICATES) == 1);
			assertThat(context.getBean(Payments.class).applied).hasValue(1);
		});
	}

	@Test
	void anIdempotentHandlerWithoutTheInboxFailsTheStartUpNamingTheProperty() {
		this.contextRunner.withBean(Payments.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("it is idempotent but the bus has no inbox")
				.hasMessageContaining("eventbus.inbox.enabled=true"));
	}

	@Test
	void tablesAreNotCreatedWhenSchemaInitializationIsOff() {
		this.contextRunner.withPropertyValues("eventbus.outbox.enabled=true", "eventbus.jdbc.initialize-schema=never")
			.run((context) -> {
				JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc
					.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'eventbus_outbox'")
					.query(Integer.class)
					.single()).isZero();
			});
	}

	@Test
	void theEventLogRecordsPublishedEventsAndTheEndpointLooksThemUpAndReplays() {
		this.contextRunner
			.withPropertyValues("eventbus.log.enabled=true", "eventbus.log.types=order.*",
					"management.endpoints.web.exposure.include=eventlog")
			.withBean(Orders.class)
			.run((context) -> {
				EventPublisher publisher = context.getBean(EventPublisher.class);
				TransactionTemplate transactions = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				transactions.executeWithoutResult((status) -> publisher.publish(
						EventMessage.of("order.placed", Map.of("n", 1)).subject("o-1").correlationId("c-1").build()));
				publisher
					.publish(EventMessage.of("order.paid", Map.of("n", 2)).subject("o-1").correlationId("c-1").build());
				publisher.publish(EventMessage.of("user.created", Map.of("n", 3)).subject("u-1").build());
				EventLogEndpoint endpoint = context.getBean(EventLogEndpoint.class);
				await().atMost(WAIT).until(() -> endpoint.events("o-1", null, null, null, null).events().size() == 2);
				assertThat(endpoint.events(null, "c-1", null, null, null).events())
					.extracting(EventLogEndpoint.LoggedEventDescriptor::type)
					.containsExactly("order.placed", "order.paid");
				assertThat(endpoint.events("u-1", null, null, null, null).events()).as("not a logged type").isEmpty();
				Orders orders = context.getBean(Orders.class);
				await().atMost(WAIT).until(() -> orders.ids.size() == 2);
				dev.eventbus.jdbc.EventLogReplays.Replay replay = endpoint.startReplay("order.*", "application",
						"orders");
				await().atMost(WAIT).until(() -> orders.ids.size() == 4);
				await().atMost(WAIT)
					.until(() -> endpoint.replay(replay.id())
						.getBody()
						.state() == dev.eventbus.jdbc.EventLogReplays.State.COMPLETED);
				assertThat(endpoint.replay(replay.id()).getBody().replayed()).isEqualTo(2);
				assertThat(endpoint.replay("unknown").getStatus()).isEqualTo(404);
			});
	}

	@Test
	void eventsOfAConsumedDestinationAreRecordedOnceEach() {
		this.contextRunner
			.withPropertyValues("eventbus.log.enabled=true", "eventbus.log.consumed-destinations=partners")
			.run((context) -> {
				EventBusAdapter adapter = context.getBean(EventBusAdapter.class);
				byte[] body = ("{\"specversion\":\"1.0\",\"id\":\"partner-1\",\"source\":\"urn:partner\","
						+ "\"type\":\"partner.signed\",\"subject\":\"p-1\",\"data\":{\"n\":1}}")
					.getBytes(java.nio.charset.StandardCharsets.UTF_8);
				for (int i = 0; i < 2; i++) {
					adapter
						.send(OutboundMessage.raw("partners", "p-1", "partner-1",
								Map.of("content-type", "application/cloudevents+json"), body))
						.join();
				}
				EventLog log = context.getBean(EventLog.class);
				await().atMost(WAIT).until(() -> !log.forSubject("p-1").isEmpty());
				assertThat(log.forSubject("p-1")).singleElement().satisfies((logged) -> {
					assertThat(logged.destination()).isEqualTo("partners");
					assertThat(logged.event().source()).isEqualTo("urn:partner");
				});
			});
	}

	@Test
	void withoutTheSettingsTheBusSendsDirectly() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(OutboxRelay.class).doesNotHaveBean(JdbcInbox.class);
			assertThat(context.getBean(EventBus.class).adapter()).isNotInstanceOf(OutboxEventBusAdapter.class);
		});
	}

	static class Orders {

		final List<String> ids = new CopyOnWriteArrayList<>();

		@EventHandler(id = "orders", types = "order.*")
		void on(Event<Map<String, Object>> event) {
			this.ids.add(event.id());
		}

	}

	static class Payments {

		final AtomicInteger applied = new AtomicInteger();

		@EventHandler(id = "payments", types = "payment.*", idempotent = "true")
		void on(Event<Map<String, Object>> event) {
			this.applied.incrementAndGet();
		}

	}

}
