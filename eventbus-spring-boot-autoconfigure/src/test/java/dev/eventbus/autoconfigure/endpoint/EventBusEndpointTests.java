package dev.eventbus.autoconfigure.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishResult;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.endpoint.EventBusEndpoint.EventBusDescriptor;
import dev.eventbus.autoconfigure.endpoint.EventBusEndpoint.HandlerCountsDescriptor;
import dev.eventbus.autoconfigure.endpoint.EventBusEndpoint.HandlerDescriptor;
import dev.eventbus.autoconfigure.fixtures.FailingOrderHandler;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class EventBusEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(EventBusAutoConfiguration.class, EventBusEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=eventbus");

	@Test
	void describesAdapterRoutesHandlersSubscriptionsCountsAndTypes() {
		this.contextRunner.withBean(RecordingOrderHandler.class)
			.withPropertyValues("eventbus.routes[0].types=order.*", "eventbus.routes[0].destination=orders",
					"eventbus.handler.retry.max-retries=3")
			.run((context) -> {
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
				RecordingOrderHandler recorder = context.getBean(RecordingOrderHandler.class);
				await().atMost(WAIT).until(() -> recorder.received().size() == 1);
				EventBusDescriptor descriptor = context.getBean(EventBusEndpoint.class).eventBus();
				assertThat(descriptor.adapter().name()).isEqualTo("memory");
				assertThat(descriptor.adapter().capabilities().persistent()).isFalse();
				assertThat(descriptor.adapter().deadLetterStore()).isTrue();
				assertThat(descriptor.defaultDestination()).isEqualTo("events");
				assertThat(descriptor.routes()).containsExactly(entry("order.*", "orders"));
				assertThat(descriptor.handlers()).singleElement().satisfies((handler) -> {
					assertThat(handler.id()).isEqualTo(RecordingOrderHandler.HANDLER_ID);
					assertThat(handler.bean()).isEqualTo("recordingOrderHandler");
					assertThat(handler.method()).isEqualTo("RecordingOrderHandler.on(Event)");
					assertThat(handler.types()).containsExactly("order.created");
					assertThat(handler.group()).isEqualTo("application");
					assertThat(handler.destinations()).containsExactly("orders");
					assertThat(handler.concurrency()).isEqualTo(1);
					assertThat(handler.retry().maxRetries()).isEqualTo(3);
					assertThat(handler.retry().delay()).isEqualTo("PT1S");
					assertThat(handler.deadLetter()).isTrue();
					assertThat(handler.condition()).isNull();
				});
				assertThat(descriptor.subscriptions()).singleElement().satisfies((subscription) -> {
					assertThat(subscription.name()).isEqualTo("application@orders");
					assertThat(subscription.handlers()).containsOnlyKeys(RecordingOrderHandler.HANDLER_ID);
					assertThat(subscription.destination()).isEqualTo("orders");
					assertThat(subscription.state()).isEqualTo(SubscriptionState.RUNNING);
				});
				assertThat(descriptor.counts().published()).isEqualTo(1);
				assertThat(descriptor.counts().received()).isEqualTo(1);
				assertThat(descriptor.counts().handled()).isEqualTo(1);
				assertThat(descriptor.counts().failed()).isZero();
				assertThat(descriptor.counts().handlers()).containsOnlyKeys(RecordingOrderHandler.HANDLER_ID);
				assertThat(descriptor.counts().handlers().get(RecordingOrderHandler.HANDLER_ID))
					.isEqualTo(new HandlerCountsDescriptor(1, 1, 0, 0, 0, 0));
				assertThat(descriptor.types()).containsEntry("order.created", List.of(OrderCreated.class.getName()));
			});
	}

	@Test
	void describesAConditionAndSerializesToJsonWithoutPropertyValues() {
		this.contextRunner.withBean(ConditionalHandler.class)
			.withPropertyValues("spring.datasource.password=hunter2", "eventbus.source=urn:shop")
			.run((context) -> {
				EventBusDescriptor descriptor = context.getBean(EventBusEndpoint.class).eventBus();
				HandlerDescriptor handler = descriptor.handlers().get(0);
				assertThat(handler.condition()).isEqualTo("subject != null");
				assertThat(handler.types()).containsExactly("audit.*");
				String json = JsonMapper.builder().build().writeValueAsString(descriptor);
				assertThat(json).contains("\"handlers\"", "\"subject != null\"", "\"audit.*\"")
					.doesNotContain("hunter2")
					.doesNotContain("urn:shop");
			});
	}

	@Test
	void listsReplaysAndPurgesDeadLettersOfADestination() {
		this.contextRunner.withBean(FailingOrderHandler.class)
			.withPropertyValues("eventbus.handler.retry.max-retries=0")
			.run((context) -> {
				EventBusEndpoint endpoint = context.getBean(EventBusEndpoint.class);
				EventPublisher publisher = context.getBean(EventPublisher.class);
				PublishResult first = publisher.publish(new OrderCreated("o-1"));
				publisher.publish(new OrderCreated("o-2"));
				await().atMost(WAIT).until(() -> endpoint.deadLetters("events").deadLetters().size() == 2);
				List<DeadLetter> deadLetters = endpoint.deadLetters("events").deadLetters();
				assertThat(deadLetters).extracting(DeadLetter::handler).containsOnly(FailingOrderHandler.HANDLER_ID);
				assertThat(deadLetters).extracting(DeadLetter::exception)
					.containsOnly(IllegalStateException.class.getName());
				assertThat(deadLetters.get(0).id()).isEqualTo(first.eventId());
				assertThat(deadLetters.get(0).deadLetterDestination()).isEqualTo("events.dlq");
				assertThat(JsonMapper.builder().build().writeValueAsString(endpoint.deadLetters("events"))).contains(
						"\"destination\":\"events\"", "\"handler\":\"" + FailingOrderHandler.HANDLER_ID + "\"",
						"\"firstFailure\":\"", "o-1");

				assertThat(endpoint.replay("events", first.eventId()).getBody().replayed()).isEqualTo(1);
				FailingOrderHandler handler = context.getBean(FailingOrderHandler.class);
				await().atMost(WAIT).until(() -> handler.invocations() == 3);
				await().atMost(WAIT).until(() -> endpoint.deadLetters("events").deadLetters().size() == 2);
				assertThat(endpoint.replay("events", "no-such-id").getBody().replayed()).isZero();

				assertThat(endpoint.purge("events").getBody().purged()).isEqualTo(2);
				assertThat(endpoint.deadLetters("events").deadLetters()).isEmpty();
				assertThat(endpoint.eventBus().counts().deadLettered()).isEqualTo(3);
			});
	}

	@Test
	void replaysEveryDeadLetterWithoutAnId() {
		this.contextRunner.withBean(FailingOrderHandler.class)
			.withPropertyValues("eventbus.handler.retry.max-retries=0")
			.run((context) -> {
				EventBusEndpoint endpoint = context.getBean(EventBusEndpoint.class);
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-2"));
				await().atMost(WAIT).until(() -> endpoint.deadLetters("events").deadLetters().size() == 2);
				assertThat(endpoint.replay("events", null).getBody().replayed()).isEqualTo(2);
				FailingOrderHandler handler = context.getBean(FailingOrderHandler.class);
				await().atMost(WAIT).until(() -> handler.invocations() == 4);
			});
	}

	@Test
	void ignoresDestinationsNoHandlerSubscribesTo() {
		this.contextRunner.withBean(RecordingOrderHandler.class).run((context) -> {
			EventBusEndpoint endpoint = context.getBean(EventBusEndpoint.class);
			assertThat(endpoint.deadLetters("payments")).isNull();
			assertThat(endpoint.replay("payments", null).getStatus()).isEqualTo(404);
			assertThat(endpoint.purge("payments").getStatus()).isEqualTo(404);
		});
	}

	static class ConditionalHandler {

		@EventHandler(types = "audit.*", condition = "subject != null")
		void on(Map<String, Object> payload) {
		}

	}

}
