package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.Retry;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour of the Kafka adapter beyond the conformance suite, against an embedded
 * broker: poison records, handlers that always fail, a consumer that crashes mid-handler,
 * the dead-letter store, health and lag.
 */
class KafkaEventBusAdapterTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static @Nullable EmbeddedKafka broker;

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void startBroker() {
		broker = EmbeddedKafka.start();
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void poisonRecordIsDeadLetteredAtOnceWithoutBlockingItsPartition() {
		String topic = "poison-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Handlers handlers = new Handlers();
		EventBus bus = bus(adapter, topic, handlers);
		byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);
		adapter.send(OutboundMessage.raw(topic, "order-1", "poison", Map.of(), poison)).join();
		String valid = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("fail", false)).subject("order-1").build())
			.eventId();
		handlers.handled.awaitIds(List.of(valid), WAIT);
		Awaits.await(WAIT, () -> bus.deadLetters().list(topic, 10).size() == 1, "poison record not dead-lettered");
		DeadLetter deadLetter = bus.deadLetters().list(topic, 10).get(0);
		assertThat(deadLetter.attempts()).as("deliveries before dead-lettering").isEqualTo(1);
		assertThat(deadLetter.exception()).isEqualTo(EventDecodingException.class.getName());
		assertThat(deadLetter.body()).isEqualTo("{not json");
		assertThat(handlers.failedCalls).isEmpty();
	}

	@Test
	void deadLetterOfABinaryModeRecordWithDataThatIsNotJsonIsListedWithItsIdAndType() {
		String topic = "binary-poison-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		EventBus bus = bus(adapter, topic, new Handlers());
		Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", "evt-7", "ce_source", "urn:foreign",
				"ce_type", "order.created", "content-type", "application/json");
		adapter
			.send(OutboundMessage.raw(topic, "order-7", "binary-poison", headers,
					"plain text, not JSON".getBytes(StandardCharsets.UTF_8)))
			.join();
		Awaits.await(WAIT, () -> bus.deadLetters().list(topic, 10).size() == 1, "record not dead-lettered");
		DeadLetter deadLetter = bus.deadLetters().list(topic, 10).get(0);
		assertThat(deadLetter.id()).isEqualTo("evt-7");
		assertThat(deadLetter.type()).isEqualTo("order.created");
		assertThat(deadLetter.subject()).isNull();
		assertThat(deadLetter.body()).isEqualTo("plain text, not JSON");
	}

	@Test
	void aTextPlainBinaryModeRecordReachesAStringHandlerWithItsContentType() {
		String topic = "text-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Notes handler = new Notes();
		bus(adapter, topic, handler);
		List<Event<String>> notes = handler.notes;
		Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", "note-1", "ce_source", "urn:foreign",
				"ce_type", "note.added", "content-type", "text/plain; charset=utf-8");
		adapter.send(OutboundMessage.raw(topic, null, "note-1", headers, "hello".getBytes(StandardCharsets.UTF_8)))
			.join();
		Awaits.await(WAIT, () -> notes.size() == 1, "text record not handled");
		assertThat(notes.get(0).payload()).isEqualTo("hello");
		assertThat(notes.get(0).dataContentType()).isEqualTo("text/plain; charset=utf-8");
	}

	@Test
	void twoIdenticalPlainJsonRecordsAreTwoEventsIdentifiedByTheirPositions() {
		String topic = "plain-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Handlers handlers = new Handlers();
		bus(adapter, topic, handlers);
		byte[] cancelled = "{\"type\":\"order.cancelled\",\"orderId\":\"o-1\"}".getBytes(StandardCharsets.UTF_8);
		String first = adapter.send(OutboundMessage.raw(topic, "o-1", "plain-1", Map.of(), cancelled))
			.join()
			.position();
		String second = adapter.send(OutboundMessage.raw(topic, "o-1", "plain-2", Map.of(), cancelled))
			.join()
			.position();
		handlers.handled.awaitIds(List.of(topic + "/" + first, topic + "/" + second), WAIT);
		assertThat(handlers.handled.events()).extracting(Event::source)
			.containsOnly("urn:eventbus:destination:" + topic);
	}

	@Test
	void plainJsonWithoutTimeTakesTheRecordTimestampOnEveryDelivery() throws Exception {
		String topic = "broker-time-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		List<Event<?>> decoded = new CopyOnWriteArrayList<>();
		Subscription subscription = adapter
			.subscribe(new SubscriptionSpec(topic, "broker-time-" + this.suffix, "broker-time", 1, 3), (delivery) -> {
				decoded.add(codec().decodeEnvelope(delivery.headers(), delivery.body(), "test",
						() -> topic + "/" + delivery.messageId()));
				if (delivery.attempt() == 1) {
					delivery.retry(Duration.ofMillis(50));
				}
				else {
					delivery.ack();
				}
			});
		this.closeables.add(() -> subscription.close(Duration.ofSeconds(1)));
		awaitRunning(subscription);
		Instant recordTime = Instant.parse("2026-01-02T03:04:05.678Z");
		byte[] untimed = "{\"type\":\"order.cancelled\",\"data\":{\"orderId\":\"o-1\"}}"
			.getBytes(StandardCharsets.UTF_8);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, null, recordTime.toEpochMilli(), "o-1", untimed))
				.get(10, TimeUnit.SECONDS);
		}
		Awaits.await(WAIT, () -> decoded.size() >= 2, () -> "deliveries: " + decoded);
		assertThat(decoded).extracting(Event::time)
			.as("time of the first delivery and of the redelivery")
			.containsOnly(recordTime);
		assertThat(decoded).extracting(Event::id).containsOnly(decoded.get(0).id());
	}

	@Test
	void undecodableRecordTooLargeForTheDeadLetterTopicIsDroppedCountedAndDoesNotBlockItsPartition() throws Exception {
		String topic = "too-large-" + this.suffix;
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin
				.createTopics(
						List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "3145728"))))
				.all()
				.get(10, TimeUnit.SECONDS);
		}
		KafkaEventBusAdapter adapter = adapter();
		Handlers handlers = new Handlers();
		EventBus bus = bus(adapter, topic, handlers);
		byte[] large = new byte[2 * 1024 * 1024];
		Arrays.fill(large, (byte) 'x');
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3145728),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, "order-1", large)).get(10, TimeUnit.SECONDS);
		}
		String valid = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("fail", false)).subject("order-1").build())
			.eventId();
		handlers.handled.awaitIds(List.of(valid), WAIT);
		assertThat(bus.statistics().deadLettersLostCount()).as("messages dropped after the dead letter failed")
			.isEqualTo(1);
		assertThat(bus.statistics().lastDeadLetterLost()).contains(topic);
		assertThat(bus.deadLetters().list(topic, 10)).isEmpty();
	}

	@Test
	void handlerThatAlwaysFailsIsDeadLetteredAfterMaxAttemptsAndLaterRecordsFlow() {
		String topic = "failing-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Handlers handlers = new Handlers();
		EventBus bus = bus(adapter, topic, handlers);
		String failing = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("fail", true)).subject("order-1").build())
			.eventId();
		String later = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("fail", false)).subject("order-1").build())
			.eventId();
		handlers.handled.awaitIds(List.of(later), WAIT);
		assertThat(handlers.failedCalls).as("calls of the failing event").hasSize(3);
		List<DeadLetter> deadLetters = bus.deadLetters().list(topic, 10);
		assertThat(deadLetters).extracting(DeadLetter::id).containsExactly(failing);
		assertThat(deadLetters.get(0).attempts()).isEqualTo(3);
		assertThat(deadLetters.get(0).headers()).containsEntry(FailureHeaders.HANDLER, "orders")
			.containsEntry("ce_subject", "order-1");
	}

	@Test
	void deliveryOfConsumerThatCrashedMidHandlerIsRedeliveredToAnotherMember() throws InterruptedException {
		String topic = "crash-" + this.suffix;
		String group = "crash-group-" + this.suffix;
		KafkaEventBusAdapter doomed = adapter();
		CountDownLatch inHandler = new CountDownLatch(1);
		Subscription dying = doomed.subscribe(new SubscriptionSpec(topic, group, "doomed", 1, 3), (delivery) -> {
			inHandler.countDown();
			try {
				new CountDownLatch(1).await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		awaitRunning(dying);
		KafkaEventBusAdapter survivor = adapter();
		EventRecorder received = new EventRecorder();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		Event<Map<String, Object>> event = event("subject-1");
		survivor.send(message(topic, event)).join();
		assertThat(inHandler.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("doomed consumer got the event")
			.isTrue();
		Subscription surviving = survivor.subscribe(new SubscriptionSpec(topic, group, "survivor", 1, 3),
				(delivery) -> {
					attempts.add(delivery.attempt());
					received.record(codec().decode(delivery.headers(), delivery.body(), "test"));
					delivery.ack();
				});
		this.closeables.add(() -> surviving.close(Duration.ofSeconds(1)));
		dying.close(Duration.ZERO);
		doomed.close();
		received.awaitIds(List.of(event.id()), WAIT);
		assertThat(dying.state()).isEqualTo(SubscriptionState.STOPPED);
		assertThat(attempts).as("attempts restart on another instance").first().isEqualTo(1);
	}

	@Test
	void retryDelayLongerThanMaxPollIntervalKeepsTheConsumerInItsGroup() {
		String topic = "long-retry-" + this.suffix;
		Map<String, Object> consumerConfigs = new HashMap<>(EmbeddedKafka.consumerConfigs(broker.bootstrapServers()));
		consumerConfigs.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1500);
		KafkaEventBusAdapter adapter = KafkaEventBusAdapter.create(
				EmbeddedKafka.producerConfigs(broker.bootstrapServers()), consumerConfigs, Duration.ofMillis(200),
				EmbeddedKafka.SETTINGS);
		this.closeables.add(adapter);
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		List<Long> times = new CopyOnWriteArrayList<>();
		Subscription subscription = adapter
			.subscribe(new SubscriptionSpec(topic, "long-retry-" + this.suffix, "long-retry", 1, 3), (delivery) -> {
				attempts.add(delivery.attempt());
				times.add(System.nanoTime());
				if (delivery.attempt() == 1) {
					delivery.retry(Duration.ofMillis(2500));
				}
				else {
					delivery.ack();
				}
			});
		this.closeables.add(() -> subscription.close(Duration.ofSeconds(1)));
		awaitRunning(subscription);
		adapter.send(message(topic, event("subject-1"))).join();
		Awaits.await(WAIT, () -> attempts.size() >= 2 && Long.valueOf(0).equals(subscription.details().get("lag")),
				() -> "retried record not committed: attempts " + attempts + ", " + subscription.details());
		assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0))).as("ms before redelivery")
			.isGreaterThanOrEqualTo(2400);
		assertThat(attempts).as("a consumer that slept past max.poll.interval.ms would be redelivered again")
			.containsExactly(1, 2);
		assertThat(subscription.state()).isEqualTo(SubscriptionState.RUNNING);
	}

	@Test
	void subscriptionReportsReconnectingWhileTheBrokerIsDownAndRecovers() {
		try (ChildProcessKafkaBroker restartable = ChildProcessKafkaBroker.start()) {
			String topic = "outage-" + this.suffix;
			KafkaEventBusAdapter adapter = EmbeddedKafka.adapter(restartable.bootstrapServers(),
					EmbeddedKafka.SETTINGS.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2)));
			EventRecorder received = new EventRecorder();
			Subscription subscription = adapter
				.subscribe(new SubscriptionSpec(topic, "outage-" + this.suffix, "outage", 2, 3), (delivery) -> {
					received.record(codec().decode(delivery.headers(), delivery.body(), "test"));
					delivery.ack();
				});
			try {
				awaitRunning(subscription);
				restartable.stop();
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RECONNECTING,
						() -> "subscription is " + subscription.state() + " with the broker down");
				assertThat(adapter.health().up()).as("health with the broker down").isFalse();
				restartable.startAgain();
				awaitRunning(subscription);
				Event<Map<String, Object>> event = event("subject-1");
				adapter.send(message(topic, event)).join();
				received.awaitIds(List.of(event.id()), WAIT);
				assertThat(adapter.health().up()).as("health after the broker is back").isTrue();
			}
			finally {
				subscription.close(Duration.ofSeconds(1));
				adapter.close();
			}
		}
	}

	@Test
	void deadLetterStoreBrowsesRemovesAndPurges() {
		String deadLetters = "store-" + this.suffix + ".dlq";
		KafkaEventBusAdapter adapter = adapter();
		for (int i = 0; i < 3; i++) {
			adapter.send(OutboundMessage.raw(deadLetters, "key-" + i, "id-" + i, Map.of("index", "" + i),
					("{\"index\":" + i + "}").getBytes(StandardCharsets.UTF_8)))
				.join();
		}
		DeadLetterStore store = adapter.deadLetterStore().orElseThrow();
		List<StoredMessage> stored = store.browse(deadLetters, 10);
		assertThat(stored).extracting((message) -> message.headers().get("index")).containsExactly("0", "1", "2");
		assertThat(store.browse(deadLetters, 2)).hasSize(2);
		String removed = stored.get(1).messageId();
		assertThat(store.remove(deadLetters, removed)).isTrue();
		assertThat(store.remove(deadLetters, removed)).as("removing twice").isFalse();
		assertThat(store.browse(deadLetters, 10)).extracting(StoredMessage::messageId)
			.doesNotContain(removed)
			.hasSize(2);
		assertThat(store.purge(deadLetters)).isEqualTo(2);
		assertThat(store.browse(deadLetters, 10)).isEmpty();
		assertThat(store.browse("never-used-" + this.suffix, 10)).isEmpty();
	}

	@Test
	void batchSubscriptionGetsPollsOfAtMostTheBatchSizeAndSkipsRecordsAcknowledgedAheadOfARetry() {
		String topic = "batch-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		List<Integer> sizes = new CopyOnWriteArrayList<>();
		Map<String, Integer> deliveries = new ConcurrentHashMap<>();
		SubscriptionSpec spec = new SubscriptionSpec(topic, "batch-" + this.suffix, "batch", 1, 3,
				new BatchSpec(5, Duration.ofMillis(200)));
		Subscription subscription = adapter.subscribe(spec, new DeliveryListener() {

			@Override
			public void onDelivery(Delivery delivery) {
				throw new AssertionError("a batch subscription is given batches");
			}

			@Override
			public void onBatch(List<? extends Delivery> batch) {
				sizes.add(batch.size());
				for (Delivery delivery : batch) {
					int count = deliveries.merge(delivery.messageId(), 1, Integer::sum);
					if (batch.indexOf(delivery) == 0 && count == 1 && sizes.size() == 1) {
						delivery.retry(Duration.ofMillis(100));
					}
					else {
						delivery.ack();
					}
				}
			}

		});
		this.closeables.add(() -> subscription.close(Duration.ofSeconds(1)));
		awaitRunning(subscription);
		for (int i = 0; i < 12; i++) {
			adapter.send(message(topic, event("subject-" + i))).join();
		}
		Awaits.await(WAIT, () -> deliveries.size() == 12 && Long.valueOf(0).equals(subscription.details().get("lag")),
				() -> "delivered " + deliveries + ", " + subscription.details());
		assertThat(sizes).allSatisfy((size) -> assertThat(size).isBetween(1, 5));
		assertThat(deliveries.values()).as("one record given back and delivered again; the others once")
			.containsOnly(1, 2)
			.filteredOn((count) -> count == 2)
			.hasSize(1);
	}

	@Test
	void healthReportsTheClusterAndSubscriptionsReportLag() {
		String topic = "lag-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		CountDownLatch release = new CountDownLatch(1);
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(topic, "lag-" + this.suffix, "lag", 2, 3),
				(delivery) -> {
					try {
						release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					delivery.ack();
				});
		this.closeables.add(() -> subscription.close(Duration.ofSeconds(1)));
		awaitRunning(subscription);
		for (int i = 0; i < 5; i++) {
			adapter.send(message(topic, event("subject-1"))).join();
		}
		Awaits.await(WAIT, () -> Long.valueOf(5).equals(subscription.details().get("lag")),
				() -> "lag is not 5: " + subscription.details());
		AdapterHealth health = adapter.health();
		assertThat(health.up()).isTrue();
		assertThat(health.details()).containsEntry("nodes", 1).containsKey("clusterId");
		assertThat(health.details().get("subscriptions")).isEqualTo(Map.of("lag", "RUNNING"));
		release.countDown();
		Awaits.await(WAIT, () -> Long.valueOf(0).equals(subscription.details().get("lag")),
				() -> "lag is not 0 after handling: " + subscription.details());
		assertThat(subscription.details()).containsEntry("consumers", 2);
	}

	private KafkaEventBusAdapter adapter() {
		KafkaEventBusAdapter adapter = broker.adapter();
		this.closeables.add(adapter);
		return adapter;
	}

	private EventBus bus(KafkaEventBusAdapter adapter, String topic, Object handlers) {
		EventBus bus = EmbeddedKafka.startBus(adapter, "tests-" + this.suffix, topic, handlers, WAIT);
		this.closeables.add(bus);
		return bus;
	}

	private static void awaitRunning(Subscription subscription) {
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
				() -> "subscription is " + subscription.state());
	}

	private static dev.eventbus.codec.JsonEventCodec codec() {
		return new dev.eventbus.codec.JsonEventCodec(tools.jackson.databind.json.JsonMapper.builder().build(),
				dev.eventbus.codec.PlainJsonMapping.DEFAULT);
	}

	private static Event<Map<String, Object>> event(String subject) {
		return new Event<>(UUID.randomUUID().toString(), "test.event", "urn:test", java.time.Instant.now(), subject,
				null, null, Map.of(), Map.of("value", 1));
	}

	private static OutboundMessage message(String topic, Event<?> event) {
		return OutboundMessage.ofEvent(topic, event, codec());
	}

	/**
	 * A handler of {@code order.*} that fails on events with {@code "fail": true}.
	 */
	static final class Notes {

		final List<Event<String>> notes = new CopyOnWriteArrayList<>();

		@EventHandler(types = "note.added")
		void on(Event<String> event) {
			this.notes.add(event);
		}

	}

	static final class Handlers {

		final EventRecorder handled = new EventRecorder();

		final List<Long> failedCalls = new CopyOnWriteArrayList<>();

		@EventHandler(id = "orders", types = "order.*",
				retry = @Retry(maxRetries = 2, delay = "50ms", multiplier = 2, maxDelay = "1s"))
		void on(Event<JsonNode> event) {
			if (event.payload().path("fail").asBoolean()) {
				this.failedCalls.add(System.nanoTime());
				throw new IllegalStateException("always fails");
			}
			this.handled.record(event);
		}

	}

}
