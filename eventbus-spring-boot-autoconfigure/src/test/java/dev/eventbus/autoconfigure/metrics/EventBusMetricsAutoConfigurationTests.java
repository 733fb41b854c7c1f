package dev.eventbus.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.fixtures.ControllableAdapter;
import dev.eventbus.autoconfigure.fixtures.FailingOrderHandler;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusObservations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventBusMetricsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class,
				EventBusMetricsAutoConfiguration.class, MetricsAutoConfiguration.class))
		.withUserConfiguration(MeterRegistryConfiguration.class)
		.withBean(RecordingOrderHandler.class);

	@Test
	void registersHandlerMetersOnceTheContextStarted() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EventBusMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String name : new String[] { "eventbus.events.received", "eventbus.events.handled",
					"eventbus.events.failed", "eventbus.events.skipped", "eventbus.retries",
					"eventbus.dead.letters" }) {
				assertThat(registry.find(name)
					.tags("handler", RecordingOrderHandler.HANDLER_ID, "group", "application")
					.functionCounter()).as(name).isNotNull();
			}
			assertThat(registry.get("eventbus.subscriptions.active").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("eventbus.events.published").functionCounter().count()).isZero();
			assertThat(registry.get("eventbus.events.unmatched").functionCounter().count()).isZero();
			assertThat(registry.get("eventbus.dead.letters.lost").functionCounter().count()).isZero();
		});
	}

	@Test
	void countsPublishedAndHandledEventsAndRecordsTimers() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
			await().atMost(WAIT)
				.until(() -> registry.get("eventbus.events.handled")
					.tag("handler", RecordingOrderHandler.HANDLER_ID)
					.functionCounter()
					.count() == 1.0);
			assertThat(registry.get("eventbus.events.published").functionCounter().count()).isEqualTo(1.0);
			assertThat(registry.get("eventbus.events.received").functionCounter().count()).isEqualTo(1.0);
			Timer publish = registry.get(EventBusObservations.PUBLISH)
				.tags("adapter", "memory", "destination", "events", "type", "order.created", "outcome", "success")
				.timer();
			assertThat(publish.count()).isEqualTo(1);
			await().atMost(WAIT)
				.until(() -> registry.find(EventBusObservations.HANDLE)
					.tags("adapter", "memory", "destination", "events", "type", "order.created", "group", "application",
							"outcome", "success")
					.timer() != null);
		});
	}

	@Test
	void countsTheBatchesAndItemsOfABatchHandlerAndTimesEachBatch() {
		this.contextRunner.withBean(BatchOrderHandler.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			EventPublisher publisher = context.getBean(EventPublisher.class);
			publisher.publish(new OrderCreated("o-1"));
			publisher.publish(new OrderCreated("o-2"));
			await().atMost(WAIT)
				.until(() -> registry.get("eventbus.events.handled")
					.tag("handler", "batch-orders")
					.functionCounter()
					.count() == 2.0);
			double batches = registry.get("eventbus.batches").tag("handler", "batch-orders").functionCounter().count();
			assertThat(batches).isBetween(1.0, 2.0);
			assertThat(registry.find("eventbus.batches").tag("handler", RecordingOrderHandler.HANDLER_ID).meter())
				.as("no batch counter for a handler of one event at a time")
				.isNull();
			await().atMost(WAIT)
				.until(() -> registry.find(EventBusObservations.HANDLE)
					.tags("handler", "batch-orders", "type", "order.created", "outcome", "success")
					.timer() != null);
			assertThat(registry.get(EventBusObservations.HANDLE).tag("handler", "batch-orders").timer().count())
				.as("one timing per batch")
				.isEqualTo((long) batches);
		});
	}

	@Test
	void observesEveryEventByDefault() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(EventPublisher.class).publish(new OrderCreated("o-5"));
			await().atMost(WAIT)
				.until(() -> registry.find(EventBusObservations.HANDLE)
					.tags("handler", RecordingOrderHandler.HANDLER_ID, "outcome", "success")
					.timer() != null);
			assertThat(registry.find(EventBusObservations.PUBLISH + ".active").longTaskTimer())
				.as("the observation's meter handler records it")
				.isNotNull();
			assertThat(registry.get(EventBusObservations.PUBLISH).tag("type", "order.created").timer().count())
				.as("recorded once")
				.isEqualTo(1);
		});
	}

	@Test
	void countsEventsOfATypeNoHandlerTakes() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(EventPublisher.class).publish("order.cancelld", Map.of());
			await().atMost(WAIT)
				.until(() -> registry.get("eventbus.events.unmatched").functionCounter().count() == 1.0);
		});
	}

	@Test
	void countsRetriesAndDeadLettersOfAFailingHandler() {
		this.contextRunner.withBean(FailingOrderHandler.class)
			.withPropertyValues("eventbus.handler.retry.max-retries=1", "eventbus.handler.retry.delay=0",
					"eventbus.handler.retry.jitter=0")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-2"));
				await().atMost(WAIT)
					.until(() -> registry.get("eventbus.dead.letters")
						.tag("handler", FailingOrderHandler.HANDLER_ID)
						.functionCounter()
						.count() == 1.0);
				assertThat(registry.get("eventbus.retries")
					.tag("handler", FailingOrderHandler.HANDLER_ID)
					.functionCounter()
					.count()).isEqualTo(1.0);
				assertThat(registry.get("eventbus.events.failed")
					.tag("handler", FailingOrderHandler.HANDLER_ID)
					.functionCounter()
					.count()).isEqualTo(2.0);
				assertThat(registry.get("eventbus.subscriptions.active").gauge().value())
					.as("one subscription for both handlers of the group")
					.isEqualTo(1.0);
			});
	}

	@Test
	void registersLagAndPendingGaugesForSubscriptionsThatReportThem() {
		ControllableAdapter adapter = new ControllableAdapter();
		adapter.setSubscriptionFigures(Map.of("lag", 42L, "pending", 3));
		this.contextRunner.withBean(ControllableAdapter.class, () -> adapter).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String[] tags = { "subscription", "application@events", "destination", "events", "group", "application" };
			assertThat(registry.get("eventbus.consumer.lag").tags(tags).gauge().value()).isEqualTo(42.0);
			assertThat(registry.get("eventbus.consumer.pending").tags(tags).gauge().value()).isEqualTo(3.0);
			adapter.setSubscriptionFigures(Map.of("lag", 7L, "pending", 0));
			assertThat(registry.get("eventbus.consumer.lag").tags(tags).gauge().value()).isEqualTo(7.0);
		});
	}

	@Test
	void registersNoLagGaugeForSubscriptionsWithoutLag() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(MeterRegistry.class).find("eventbus.consumer.lag").gauge())
				.isNull());
	}

	@Test
	void backsOffToUserDefinedMetrics() {
		this.contextRunner.withUserConfiguration(CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(EventBusMetrics.class).hasBean("customMetrics"));
	}

	@Test
	void absentWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventBusMetrics.class));
	}

	@Test
	void absentWhenTheBusIsDisabled() {
		this.contextRunner.withPropertyValues("eventbus.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventBusMetrics.class));
	}

	static class BatchOrderHandler {

		@EventHandler(id = "batch-orders", maxBatchSize = 10, maxBatchWait = "50ms")
		void on(List<OrderCreated> orders) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meterRegistry) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		@Bean
		EventBusMetrics customMetrics(EventBus eventBus) {
			return new EventBusMetrics(eventBus);
		}

	}

}
