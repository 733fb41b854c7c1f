package dev.eventbus.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pub/sub mode: broadcast to every instance, honest at-most-once capabilities, retries
 * within the instance, batches, and raw messages (dead letters) kept in streams.
 */
class RedisPubSubTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisServerProcess server;

	private static LettuceConnectionFactory connectionFactory;

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private final String destination = "broadcast-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<EventBusAdapter> adapters = new ArrayList<>();

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.start();
		connectionFactory = server.connectionFactory(null, Duration.ofSeconds(5));
	}

	@AfterAll
	static void stopServer() {
		connectionFactory.destroy();
		server.close();
	}

	@AfterEach
	void closeAdapters() {
		this.adapters.forEach(EventBusAdapter::close);
	}

	@Test
	void capabilitiesDeclareAtMostOnceBroadcast() {
		AdapterCapabilities capabilities = adapter().capabilities();
		assertThat(capabilities.persistent()).isFalse();
		assertThat(capabilities.consumerGroups()).isFalse();
		assertThat(capabilities.redeliversUnacked()).isFalse();
		assertThat(capabilities.orderedPerKey()).isFalse();
	}

	@Test
	void everyInstanceReceivesEveryEventEvenInTheSameGroup() {
		RedisPubSubEventBusAdapter first = adapter();
		RedisPubSubEventBusAdapter second = adapter();
		List<String> firstReceived = new CopyOnWriteArrayList<>();
		List<String> secondReceived = new CopyOnWriteArrayList<>();
		subscribe(first, this.destination, recording(firstReceived));
		subscribe(second, this.destination, recording(secondReceived));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Event<Map<String, Object>> event = event(i);
			first.send(message(this.destination, event)).join();
			ids.add(event.id());
		}
		Awaits.await(WAIT, () -> firstReceived.containsAll(ids) && secondReceived.containsAll(ids),
				() -> "first got " + firstReceived.size() + ", second got " + secondReceived.size() + " of 20");
		assertThat(firstReceived).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(secondReceived).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void patternDestinationReceivesEveryMatchingChannel() {
		RedisPubSubEventBusAdapter adapter = adapter();
		List<String> received = new CopyOnWriteArrayList<>();
		subscribe(adapter, this.destination + ".*", recording(received));
		Event<Map<String, Object>> photos = event(1);
		Event<Map<String, Object>> users = event(2);
		adapter.send(message(this.destination + ".photos", photos)).join();
		adapter.send(message(this.destination + ".users", users)).join();
		adapter.send(message("elsewhere", event(3))).join();
		Awaits.await(WAIT, () -> received.size() >= 2, () -> "received " + received);
		assertThat(received).containsExactlyInAnyOrder(photos.id(), users.id());
	}

	@Test
	void retriedDeliveryIsRedeliveredInTheInstanceWithAHigherAttempt() {
		RedisPubSubEventBusAdapter adapter = adapter();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		subscribe(adapter, this.destination, (delivery) -> {
			attempts.add(delivery.attempt());
			if (delivery.attempt() < 3) {
				delivery.retry(Duration.ofMillis(20));
			}
			else {
				delivery.ack();
			}
		});
		adapter.send(message(this.destination, event(1))).join();
		Awaits.await(WAIT, () -> attempts.size() == 3, () -> "attempts " + attempts);
		assertThat(attempts).containsExactly(1, 2, 3);
	}

	@Test
	void batchSubscriptionGetsBatchesAndARetriedMessageComesBackInOne() {
		RedisPubSubEventBusAdapter adapter = adapter();
		List<List<String>> batches = new CopyOnWriteArrayList<>();
		List<Integer> attemptsOfFirst = new CopyOnWriteArrayList<>();
		List<Delivery> singles = new CopyOnWriteArrayList<>();
		List<String> ids = new ArrayList<>();
		DeliveryListener listener = new DeliveryListener() {

			@Override
			public void onDelivery(Delivery delivery) {
				singles.add(delivery);
				delivery.ack();
			}

			@Override
			public void onBatch(List<? extends Delivery> deliveries) {
				List<String> batch = new ArrayList<>();
				for (Delivery delivery : deliveries) {
					String id = RedisPubSubTests.this.codec.decode(delivery.headers(), delivery.body(), "test").id();
					batch.add(id);
					if (id.equals(ids.get(0))) {
						attemptsOfFirst.add(delivery.attempt());
						if (delivery.attempt() == 1) {
							delivery.retry(Duration.ofMillis(20));
							continue;
						}
					}
					delivery.ack();
				}
				batches.add(batch);
			}

		};
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(this.destination, "group", "handler", 1, 3,
				new BatchSpec(5, Duration.ofMillis(200))), listener);
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
				"Redis did not confirm the subscription");
		List<OutboundMessage> messages = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			Event<Map<String, Object>> event = event(i);
			ids.add(event.id());
			messages.add(message(this.destination, event));
		}
		messages.forEach((message) -> adapter.send(message).join());
		Awaits.await(WAIT, () -> batches.stream().mapToInt(List::size).sum() == 8, () -> "batches " + batches);
		assertThat(singles).as("deliveries one at a time").isEmpty();
		assertThat(batches).allSatisfy((batch) -> assertThat(batch).hasSizeBetween(1, 5));
		assertThat(batches.stream().flatMap(List::stream))
			.containsExactlyInAnyOrderElementsOf(Stream.concat(ids.stream(), Stream.of(ids.get(0))).toList());
		assertThat(attemptsOfFirst).containsExactly(1, 2);
		Awaits.await(WAIT, () -> Integer.valueOf(0).equals(subscription.details().get("inFlight")),
				() -> "details " + subscription.details());
	}

	@Test
	void rawMessagesSuchAsDeadLettersAreKeptInAStream() {
		RedisPubSubEventBusAdapter adapter = adapter();
		String deadLetters = this.destination + ".dlq";
		String entryId = adapter.send(OutboundMessage.raw(deadLetters, "order-1", "dead-1",
				Map.of("eventbus-dlq-attempts", "3"), "{}".getBytes(StandardCharsets.UTF_8)))
			.join()
			.position();
		List<StoredMessage> stored = adapter.deadLetterStore().orElseThrow().browse(deadLetters, 10);
		assertThat(stored).singleElement().satisfies((message) -> {
			assertThat(message.messageId()).isEqualTo(entryId);
			assertThat(message.headers()).containsEntry("eventbus-dlq-attempts", "3");
		});
		assertThat(adapter.health().up()).isTrue();
	}

	private RedisPubSubEventBusAdapter adapter() {
		RedisPubSubEventBusAdapter adapter = new RedisPubSubEventBusAdapter(connectionFactory,
				RedisStreamSettings.of("node"));
		this.adapters.add(adapter);
		return adapter;
	}

	private Subscription subscribe(EventBusAdapter adapter, String destination, DeliveryListener listener) {
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(destination, "group", "handler", 2, 3),
				listener);
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
				"Redis did not confirm the subscription");
		return subscription;
	}

	private DeliveryListener recording(List<String> ids) {
		return (Delivery delivery) -> {
			ids.add(this.codec.decode(delivery.headers(), delivery.body(), "test").id());
			delivery.ack();
		};
	}

	private static Event<Map<String, Object>> event(int sequence) {
		return new Event<>(UUID.randomUUID().toString(), "order.created", "urn:test", Instant.now(), "order-1", null,
				null, Map.of(), Map.of("sequence", sequence));
	}

	private OutboundMessage message(String destination, Event<?> event) {
		return OutboundMessage.ofEvent(destination, event, this.codec);
	}

}
