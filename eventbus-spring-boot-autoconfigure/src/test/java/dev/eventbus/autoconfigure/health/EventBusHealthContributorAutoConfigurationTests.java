package dev.eventbus.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.fixtures.ControllableAdapter;
import dev.eventbus.autoconfigure.fixtures.FailingOrderHandler;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventBusHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(EventBusAutoConfiguration.class, EventBusHealthContributorAutoConfiguration.class,
						HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
		.withBean(RecordingOrderHandler.class);

	@Test
	void contributesEventbusIndicatorThatIsUpWithSubscriptionDetails() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EventBusHealthIndicator.class);
			assertThat(context.getBean(HealthContributorRegistry.class).getContributor("eventbus"))
				.isSameAs(context.getBean(EventBusHealthIndicator.class));
			Health health = context.getBean(EventBusHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("adapter", "memory").containsKey("adapterDetails");
			assertThat(subscriptions(health)).singleElement().satisfies((subscription) -> {
				assertThat(subscription).containsEntry("name", "application@events")
					.containsEntry("handlers", List.of(RecordingOrderHandler.HANDLER_ID))
					.containsEntry("destination", "events")
					.containsEntry("group", "application")
					.containsEntry("state", "RUNNING")
					.containsKey("details");
			});
		});
	}

	@Test
	void showsMessagesDroppedBecauseTheirDeadLetterCouldNotBeWritten() {
		this.contextRunner.withBean(ControllableAdapter.class)
			.withBean(FailingOrderHandler.class)
			.withPropertyValues("eventbus.handler.retry.max-retries=0", "eventbus.handler.retry.delay=10ms",
					"eventbus.handler.retry.jitter=0")
			.run((context) -> {
				context.getBean(ControllableAdapter.class).setRefuseDeadLetters(true);
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-lost"));
				EventBusHealthIndicator indicator = context.getBean(EventBusHealthIndicator.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> indicator.health().getDetails().containsKey("deadLettersLost"));
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("deadLettersLost", 1L);
				assertThat(health.getDetails().get("lastDeadLetterLost").toString())
					.contains("handler " + FailingOrderHandler.HANDLER_ID)
					.contains("too large");
			});
	}

	@Test
	void isDownWithTheAdapterDetailsWhenTheAdapterIsDown() {
		this.contextRunner.withBean(ControllableAdapter.class).run((context) -> {
			context.getBean(ControllableAdapter.class).setDown(true);
			Health health = context.getBean(EventBusHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("adapter", ControllableAdapter.NAME)
				.containsEntry("adapterDetails", Map.of("broker", "broker.test:9092", "error", "connection refused"))
				.containsEntry("reason", "adapter controllable is down");
		});
	}

	@Test
	void isDownNamingTheSubscriptionThatFailed() {
		this.contextRunner.withBean(ControllableAdapter.class).run((context) -> {
			context.getBean(ControllableAdapter.class).setSubscriptionState(SubscriptionState.FAILED);
			Health health = context.getBean(EventBusHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "subscription(s) failed: application@events");
			assertThat(subscriptions(health)).singleElement()
				.satisfies((subscription) -> assertThat(subscription).containsEntry("state", "FAILED"));
		});
	}

	@Test
	void isOutOfServiceWhileASubscriptionIsStillStarting() {
		this.contextRunner.withBean(ControllableAdapter.class).run((context) -> {
			context.getBean(ControllableAdapter.class).setSubscriptionState(SubscriptionState.STARTING);
			Health health = context.getBean(EventBusHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails()).containsEntry("reason", "subscription(s) starting: application@events");
			context.getBean(ControllableAdapter.class).setSubscriptionState(SubscriptionState.RUNNING);
			assertThat(context.getBean(EventBusHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void isOutOfServiceOnceTheBusStopped() {
		this.contextRunner.run((context) -> {
			EventBusHealthIndicator indicator = context.getBean(EventBusHealthIndicator.class);
			context.getBean(EventBus.class).stop();
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails()).containsEntry("reason", "event bus is not running");
		});
	}

	@Test
	void backsOffToUserDefinedIndicatorOfTheSameName() {
		HealthIndicator custom = () -> Health.up().build();
		this.contextRunner.withBean("eventbusHealthIndicator", HealthIndicator.class, () -> custom)
			.run((context) -> assertThat(context).doesNotHaveBean(EventBusHealthIndicator.class));
	}

	@Test
	void disabledByManagementHealthProperty() {
		this.contextRunner.withPropertyValues("management.health.eventbus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventBusHealthIndicator.class));
	}

	@Test
	void absentWithoutTheHealthClasses() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventBusHealthIndicator.class));
	}

	@Test
	void absentWhenTheBusIsDisabled() {
		this.contextRunner.withPropertyValues("eventbus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventBusHealthIndicator.class));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> subscriptions(Health health) {
		return (List<Map<String, Object>>) health.getDetails().get("subscriptions");
	}

}
