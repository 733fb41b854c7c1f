package dev.eventbus.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusException;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.PublishException;
import dev.eventbus.api.Retry;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The RabbitMQ adapter's own behaviour against a real broker, beyond the conformance
 * suite: unroutable publishes, poison messages and failing handlers through the runtime,
 * dead letters listed, replayed and purged, a crashed consumer's message, the delivery
 * limit, retries that hold up nothing, credentials, health and foreign input.
 */
class RabbitMqEventBusAdapterTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Set<String> queues = TestInstance.names();

	private static final Set<String> exchanges = TestInstance.names();

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private final String destination = "adapter-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<AutoCloseable> opened = new ArrayList<>();

	private @Nullable EventBus bus;

	@AfterEach
	void close() throws Exception {
		if (this.bus != null) {
			this.bus.close();
		}
		for (int i = this.opened.size() - 1; i >= 0; i--) {
			this.opened.get(i).close();
		}
	}

	@AfterAll
	static void deleteWhatTheTestsDeclared() {
		RabbitMqBroker.shared().delete(queues, exchanges);
	}

	@Test
	void publishThatNoQueueIsBoundToFailsNamingExchangeAndRoutingKey() {
		TestInstance instance = instance(RabbitMqAdapterSettings.DEFAULTS);
		CompletableFuture<?> send = instance
			.send(OutboundMessage.ofEvent(this.destination, event("order.created"), this.codec));
		assertThat(send).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PublishException.class)
			.withMessageContaining("could not route")
			.withMessageContaining("exchange '" + this.destination + "'")
			.withMessageContaining("routing key 'order.created'");
	}

	@Test
	void poisonMessageIsDeadLetteredAtOnceAndLaterEventsFlow() {
		OrderHandler handler = new OrderHandler();
		TestInstance instance = startBus(handler);
		byte[] poison = "not JSON {".getBytes(StandardCharsets.UTF_8);
		assertThat(instance.send(OutboundMessage.raw(this.destination, "order-1", "poison-1", Map.of(), poison)))
			.succeedsWithin(WAIT);
		String valid = this.bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("amount", 1)).subject("order-1").build())
			.eventId();
		Awaits.await(WAIT, () -> handler.handled.contains(valid), "The event behind the poison message was lost");
		Awaits.await(WAIT, () -> this.bus.deadLetters().list(this.destination, 10).size() == 1,
				"The poison message was not dead-lettered");
		DeadLetter deadLetter = this.bus.deadLetters().list(this.destination, 10).get(0);
		assertThat(deadLetter.attempts()).isEqualTo(1);
		assertThat(deadLetter.exception()).isEqualTo(EventDecodingException.class.getName());
		assertThat(deadLetter.body()).isEqualTo("not JSON {");
		assertThat(handler.failures).isEmpty();
	}

	@Test
	void failingHandlerIsDeadLetteredAfterMaxAttemptsThenListedReplayedAndPurged() {
		OrderHandler handler = new OrderHandler();
		handler.failing.set(true);
		startBus(handler);
		String first = publishOrder("order-1");
		String second = publishOrder("order-2");
		Awaits.await(WAIT, () -> this.bus.deadLetters().list(this.destination, 10).size() == 2,
				"The failing events were not dead-lettered");
		assertThat(handler.failures).filteredOn(first::equals).hasSize(3);
		List<DeadLetter> listed = this.bus.deadLetters().list(this.destination, 10);
		assertThat(listed).extracting(DeadLetter::id).containsExactlyInAnyOrder(first, second);
		assertThat(listed).allSatisfy((deadLetter) -> {
			assertThat(deadLetter.attempts()).isEqualTo(3);
			assertThat(deadLetter.handler()).isEqualTo("orders");
			assertThat(deadLetter.exception()).isEqualTo(IllegalStateException.class.getName());
			assertThat(deadLetter.headers()).containsEntry(FailureHeaders.DESTINATION, this.destination);
		});
		handler.failing.set(false);
		assertThat(this.bus.deadLetters().replay(this.destination, first)).isTrue();
		Awaits.await(WAIT, () -> handler.handled.contains(first), "The replayed event was not handled");
		assertThat(this.bus.deadLetters().list(this.destination, 10)).extracting(DeadLetter::id)
			.containsExactly(second);
		assertThat(this.bus.deadLetters().purge(this.destination)).isEqualTo(1);
		assertThat(this.bus.deadLetters().list(this.destination, 10)).isEmpty();
		assertThat(handler.handled).doesNotContain(second);
	}

	@Test
	void messageOfACrashedConsumerIsRedeliveredToAnotherConsumerOfTheGroup() {
		String group = "crash";
		TestInstance doomed = instance(RabbitMqAdapterSettings.DEFAULTS);
		CountDownLatch received = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		subscribe(doomed, group, (delivery) -> {
			received.countDown();
			await(never);
		});
		String id = send(doomed, event("order.created"));
		Awaits.await(WAIT, () -> received.getCount() == 0, "The consumer about to crash never got the message");
		List<Delivery> survived = new CopyOnWriteArrayList<>();
		subscribe(instance(RabbitMqAdapterSettings.DEFAULTS), group, (delivery) -> {
			survived.add(delivery);
			delivery.ack();
		});
		doomed.crash();
		never.countDown();
		Awaits.await(WAIT, () -> !survived.isEmpty(), "The crashed consumer's message was not redelivered");
		assertThat(survived).singleElement().satisfies((delivery) -> {
			assertThat(delivery.messageId()).isEqualTo(id);
			assertThat(delivery.attempt()).as("attempt, counting the crashed consumer's delivery").isEqualTo(2);
		});
	}

	@Test
	void messageThatKeepsKillingItsConsumersIsParkedInTheDeadLetterQueueByTheDeliveryLimit() {
		RabbitMqAdapterSettings settings = RabbitMqAdapterSettings.DEFAULTS.withDeliveryLimit(1);
		String id = null;
		for (int crash = 0; crash < 2; crash++) {
			TestInstance doomed = instance(settings);
			CountDownLatch received = new CountDownLatch(1);
			subscribe(doomed, "doomed", (delivery) -> received.countDown());
			if (id == null) {
				id = send(doomed, event("order.created"));
			}
			Awaits.await(WAIT, () -> received.getCount() == 0, "The consumer never got the message");
			doomed.crash();
		}
		RabbitMqDeadLetterStore store = (RabbitMqDeadLetterStore) instance(settings).deadLetterStore().orElseThrow();
		String parked = id;
		Awaits.await(WAIT, () -> store.browse(this.destination + ".dlq", 10).size() == 1,
				"The message over its delivery limit was not dead-lettered");
		StoredMessage deadLetter = store.browse(this.destination + ".dlq", 10).get(0);
		assertThat(deadLetter.messageId()).isEqualTo(parked);
		assertThat(this.codec.decode(deadLetter.headers(), deadLetter.body(), "test").type())
			.isEqualTo("order.created");
	}

	@Test
	void retryWaitsForItsDelayWithoutHoldingUpTheMessagesBehindIt() {
		TestInstance instance = instance(RabbitMqAdapterSettings.DEFAULTS);
		List<String> handled = new CopyOnWriteArrayList<>();
		AtomicBoolean retried = new AtomicBoolean();
		Subscription subscription = subscribe(instance, "retry", (delivery) -> {
			String type = this.codec.decode(delivery.headers(), delivery.body(), "test").type();
			if (type.equals("order.failing") && retried.compareAndSet(false, true)) {
				delivery.retry(Duration.ofSeconds(1));
				return;
			}
			handled.add(type + "#" + delivery.attempt());
			delivery.ack();
		});
		assertThat(subscription.spec().concurrency()).isEqualTo(1);
		send(instance, event("order.failing"));
		for (int i = 0; i < 5; i++) {
			send(instance, event("order.created"));
		}
		Awaits.await(WAIT, () -> handled.size() == 6, () -> "handled so far: " + handled);
		assertThat(handled)
			.startsWith("order.created#1", "order.created#1", "order.created#1", "order.created#1", "order.created#1")
			.endsWith("order.failing#2");
	}

	@Test
	void wrongPasswordFailsNamingTheCredentialSettingsAndTheAddress() {
		CachingConnectionFactory factory = RabbitMqBroker.shared().connectionFactory("guest", "wrong-password");
		this.opened.add(factory::destroy);
		RabbitMqEventBusAdapter adapter = new RabbitMqEventBusAdapter(factory, RabbitMqAdapterSettings.DEFAULTS);
		this.opened.add(adapter);
		String address = RabbitMqBroker.shared().address();
		assertThat(adapter.send(OutboundMessage.ofEvent(this.destination, event("order.created"), this.codec)))
			.failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.withMessageContaining("refused the credentials")
			.withMessageContaining("spring.rabbitmq.username")
			.withMessageContaining("spring.rabbitmq.password")
			.withMessageContaining(address);
		assertThatExceptionOfType(EventBusException.class).isThrownBy(
				() -> adapter.subscribe(new SubscriptionSpec(this.destination, "auth", "auth", 1, 3), Delivery::ack))
			.withMessageContaining("spring.rabbitmq.password")
			.withMessageContaining(address);
		AdapterHealth health = adapter.health();
		assertThat(health.up()).isFalse();
		assertThat(health.details().get("error")).asString().contains("spring.rabbitmq.username").contains(address);
	}

	@Test
	void healthReportsTheBrokerAndEachSubscriptionAndDetailsTheQueueDepth() {
		TestInstance instance = instance(RabbitMqAdapterSettings.DEFAULTS);
		Subscription subscription = subscribe(instance, "health", Delivery::ack);
		AdapterHealth health = instance.health();
		assertThat(health.up()).isTrue();
		assertThat(health.details()).containsKey("version")
			.containsEntry("subscriptions", Map.of("health", SubscriptionState.RUNNING.name()));
		assertThat(subscription.details()).containsEntry("queue", this.destination + ".health")
			.containsEntry("pending", 0);
		Awaits.await(WAIT, () -> Long.valueOf(0).equals(subscription.details().get("lag")),
				() -> "details: " + subscription.details());
	}

	@Test
	void eventInTheBinaryModeOfTheCloudEventsAmqpBindingArrivesIntact() {
		TestInstance instance = instance(RabbitMqAdapterSettings.DEFAULTS);
		List<Event<?>> received = new CopyOnWriteArrayList<>();
		subscribe(instance, "foreign", (delivery) -> {
			received.add(this.codec.decode(delivery.headers(), delivery.body(), "test"));
			delivery.ack();
		});
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		properties.setHeader("cloudEvents:specversion", "1.0");
		properties.setHeader("cloudEvents:id", "foreign-1");
		properties.setHeader("cloudEvents:source", "urn:foreign");
		properties.setHeader("cloudEvents:type", "order.created");
		properties.setHeader("cloudEvents:subject", "order-9");
		CachingConnectionFactory factory = RabbitMqBroker.shared().connectionFactory();
		this.opened.add(factory::destroy);
		new RabbitTemplate(factory).send(this.destination, "order.created",
				new Message("{\"amount\":7}".getBytes(StandardCharsets.UTF_8), properties));
		Awaits.await(WAIT, () -> received.size() == 1, "The foreign event did not arrive");
		Event<?> event = received.get(0);
		assertThat(event.id()).isEqualTo("foreign-1");
		assertThat(event.type()).isEqualTo("order.created");
		assertThat(event.subject()).isEqualTo("order-9");
		assertThat(event.dataContentType()).isEqualTo("application/json");
		assertThat(((JsonNode) event.payload()).get("amount").asInt()).isEqualTo(7);
	}

	private TestInstance instance(RabbitMqAdapterSettings settings) {
		TestInstance instance = new TestInstance(RabbitMqBroker.shared(), settings, queues, exchanges);
		this.opened.add(instance);
		return instance;
	}

	private Subscription subscribe(TestInstance instance, String group, DeliveryListener listener) {
		Subscription subscription = instance.subscribe(new SubscriptionSpec(this.destination, group, group, 1, 3),
				listener);
		this.opened.add(() -> subscription.close(Duration.ofMillis(100)));
		assertThat(subscription.state()).isEqualTo(SubscriptionState.RUNNING);
		return subscription;
	}

	private String send(TestInstance instance, Event<?> event) {
		assertThat(instance.send(OutboundMessage.ofEvent(this.destination, event, this.codec))).succeedsWithin(WAIT);
		return event.id();
	}

	private static Event<Map<String, Object>> event(String type) {
		String id = UUID.randomUUID().toString();
		return new Event<>(id, type, "urn:test", Instant.now(), "order-1", null, null, Map.of(), Map.of("id", id));
	}

	private TestInstance startBus(Object handler) {
		TestInstance instance = instance(RabbitMqAdapterSettings.DEFAULTS);
		EventBus started = EventBus.builder()
			.adapter(instance)
			.source("urn:test")
			.defaultGroup("bus")
			.defaultDestination(this.destination)
			.sendTimeout(WAIT)
			.shutdownTimeout(Duration.ofSeconds(5))
			.build();
		this.bus = started;
		started.registerHandlers("orderHandler", handler);
		started.start();
		Awaits.await(WAIT,
				() -> started.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				"The bus did not start");
		return instance;
	}

	private String publishOrder(String subject) {
		return this.bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("amount", 1)).subject(subject).build())
			.eventId();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static final class OrderHandler {

		final AtomicBoolean failing = new AtomicBoolean();

		final List<String> handled = new CopyOnWriteArrayList<>();

		final List<String> failures = new CopyOnWriteArrayList<>();

		@EventHandler(id = "orders", types = "order.*",
				retry = @Retry(maxRetries = 2, delay = "20ms", multiplier = 2, maxDelay = "100ms"))
		void on(Event<JsonNode> event) {
			if (this.failing.get()) {
				this.failures.add(event.id());
				throw new IllegalStateException("handler fails on purpose");
			}
			this.handled.add(event.id());
		}

	}

}
