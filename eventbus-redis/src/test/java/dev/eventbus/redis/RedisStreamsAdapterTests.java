package dev.eventbus.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import io.lettuce.core.api.StatefulConnection;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviour of the Redis Streams adapter beyond the conformance suite: the entry layout,
 * trimming, own pending entries after a restart, retry delays and attempts, bounded
 * in-flight deliveries, batches, group figures and the dead-letter store.
 */
class RedisStreamsAdapterTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisServerProcess server;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final String destination = "orders-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.start();
		connectionFactory = server.connectionFactory(null, Duration.ofSeconds(5));
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopServer() {
		connectionFactory.destroy();
		server.close();
	}

	@AfterEach
	void closeAdapters() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void entriesAreLaidOutAsReadableFields() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		Event<Map<String, Object>> event = event("order-7");
		String entryId = adapter.send(message(event)).join().position();
		List<MapRecord<String, Object, Object>> entries = redis.opsForStream()
			.range(this.destination, Range.unbounded());
		assertThat(entries).hasSize(1);
		assertThat(entries.get(0).getId().getValue()).isEqualTo(entryId);
		Map<Object, Object> fields = entries.get(0).getValue();
		assertThat(fields).containsEntry("id", event.id())
			.containsEntry("type", "order.created")
			.containsEntry("subject", "order-7")
			.containsKey("event");
		assertThat(new ArrayList<>(fields.keySet())).startsWith("id", "type", "subject", "event");
		Event<?> decoded = this.codec.decode(Map.of(), fields.get("event").toString().getBytes(StandardCharsets.UTF_8),
				"test");
		assertThat(decoded.id()).isEqualTo(event.id());
		assertThat(decoded.subject()).isEqualTo("order-7");
		adapter
			.send(OutboundMessage.raw(this.destination, null, "raw-1", Map.of("reason", "test"),
					"{}".getBytes(StandardCharsets.UTF_8)))
			.join();
		Map<Object, Object> raw = redis.opsForStream().range(this.destination, Range.unbounded()).get(1).getValue();
		assertThat(raw).containsEntry("id", "raw-1")
			.containsEntry("h:reason", "test")
			.containsEntry("event", "{}")
			.doesNotContainKeys("type", "subject");
	}

	@Test
	void maxLengthTrimsTheStreamApproximately() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1").withMaxLength(100L));
		for (int i = 0; i < 1_000; i++) {
			adapter.send(message(event("order-" + i))).join();
		}
		assertThat(redis.opsForStream().size(this.destination)).isBetween(100L, 300L);
	}

	@Test
	void closeWaitsForSendsStillWaitingForRedis() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		List<CompletableFuture<SendResult>> sends = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			sends.add(adapter.send(message(event("order-" + i))));
		}
		adapter.close();
		assertThat(sends).allSatisfy((send) -> assertThat(send)
			.isCompletedWithValueMatching((result) -> result.position() != null, "completed with an entry id"));
		assertThat(redis.opsForStream().size(this.destination)).isEqualTo(2_000L);
		assertThat(adapter.send(message(event("order-late")))).isCompletedExceptionally();
	}

	@Test
	void restartedConsumerReadsItsOwnPendingEntriesFirst() {
		RedisStreamSettings settings = RedisStreamSettings.of("node-1")
			.withClaim(Duration.ofMinutes(10), Duration.ofMinutes(10));
		RedisEventBusAdapter first = adapter(settings);
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe(first, "handler", 1, received::add);
		Event<Map<String, Object>> event = event("order-1");
		first.send(message(event)).join();
		Awaits.await(WAIT, () -> received.size() == 1, "The first consumer got nothing");
		assertThat(received.get(0).attempt()).isEqualTo(1);
		first.halt();
		RedisEventBusAdapter restarted = adapter(settings);
		List<Delivery> again = new CopyOnWriteArrayList<>();
		subscribe(restarted, "handler", 1, recordAndAck(again));
		Awaits.await(WAIT, () -> again.size() == 1,
				"The restarted consumer did not read its own pending entry (claim idle time is 10 minutes)");
		assertThat(again.get(0).messageId()).isEqualTo(received.get(0).messageId());
		assertThat(again.get(0).attempt()).isEqualTo(2);
		Awaits.await(WAIT, () -> pending("handler").isEmpty(), "The entry was not acknowledged");
	}

	@Test
	void retriedEntryIsClaimedAgainAfterItsDelayWithAHigherAttempt() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		List<Long> deliveredAt = new CopyOnWriteArrayList<>();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		subscribe(adapter, "handler", 1, (delivery) -> {
			deliveredAt.add(System.nanoTime());
			attempts.add(delivery.attempt());
			if (delivery.attempt() < 3) {
				delivery.retry(Duration.ofMillis(300));
			}
			else {
				delivery.ack();
			}
		});
		adapter.send(message(event("order-1"))).join();
		Awaits.await(WAIT, () -> attempts.size() == 3, () -> "Deliveries: " + attempts);
		assertThat(attempts).containsExactly(1, 2, 3);
		assertThat(TimeUnit.NANOSECONDS.toMillis(deliveredAt.get(1) - deliveredAt.get(0))).isGreaterThanOrEqualTo(300);
		assertThat(TimeUnit.NANOSECONDS.toMillis(deliveredAt.get(2) - deliveredAt.get(1))).isGreaterThanOrEqualTo(300);
		Awaits.await(WAIT, () -> pending("handler").isEmpty(), "The entry stayed pending after its ack");
	}

	@Test
	void plainJsonWithoutTimeTakesTheTimeOfItsEntryIdOnEveryDelivery() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		List<Event<?>> decoded = new CopyOnWriteArrayList<>();
		subscribe(adapter, "handler", 1, (delivery) -> {
			decoded.add(this.codec.decodeEnvelope(delivery.headers(), delivery.body(), "test",
					() -> this.destination + "/" + delivery.messageId()));
			if (delivery.attempt() == 1) {
				delivery.retry(Duration.ofMillis(100));
			}
			else {
				delivery.ack();
			}
		});
		Instant entryTime = Instant.parse("2026-01-02T03:04:05.678Z");
		redis.opsForStream()
			.add(MapRecord.create(this.destination, Map.of("event", "{\"type\":\"order.cancelled\",\"data\":{}}"))
				.withId(RecordId.of(entryTime.toEpochMilli() + "-0")));
		Awaits.await(WAIT, () -> decoded.size() >= 2, () -> "Deliveries: " + decoded);
		assertThat(decoded).extracting(Event::time)
			.as("time of the first delivery and of the redelivery")
			.containsOnly(entryTime);
		assertThat(decoded).extracting(Event::id)
			.containsOnly(this.destination + "/" + entryTime.toEpochMilli() + "-0");
	}

	@Test
	void handlersAreBoundedByConcurrencyAndReadAheadByBatchSize() throws InterruptedException {
		RedisEventBusAdapter adapter = adapter(
				withBatchSize("node-1", 10).withClaim(Duration.ofSeconds(30), Duration.ofMillis(100)));
		CountDownLatch release = new CountDownLatch(1);
		List<Delivery> started = new CopyOnWriteArrayList<>();
		Subscription subscription = subscribe(adapter, "handler", 2, (delivery) -> {
			started.add(delivery);
			await(release);
			delivery.ack();
		});
		for (int i = 0; i < 30; i++) {
			adapter.send(message(event("order-" + i))).join();
		}
		Awaits.await(WAIT, () -> started.size() == 2, "Two deliveries did not start");
		Awaits.await(WAIT, () -> Long.valueOf(10).equals(subscription.details().get("pending")),
				() -> "Details: " + subscription.details());
		if (RedisServerProcess.reportsLag()) {
			assertThat(subscription.details()).containsEntry("lag", 20L);
		}
		assertThat(subscription.details()).containsEntry("inFlight", 2)
			.containsEntry("readAhead", 8)
			.containsEntry("consumer", "node-1:handler");
		assertThat(pending("handler").size()).isEqualTo(10);
		assertThat(started).hasSize(2);
		release.countDown();
		Awaits.await(WAIT, () -> started.size() == 30, () -> started.size() + " of 30 delivered");
		Awaits.await(WAIT, () -> Long.valueOf(0).equals(subscription.details().get("pending")),
				() -> "Details: " + subscription.details());
	}

	@Test
	void closeAnswersEveryAcknowledgementBeforeItReturns() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		List<Delivery> received = new CopyOnWriteArrayList<>();
		Subscription subscription = subscribe(adapter, "handler", 4, recordAndAck(received));
		List<CompletableFuture<SendResult>> sends = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			sends.add(adapter.send(message(event("order-" + i))));
		}
		sends.forEach(CompletableFuture::join);
		Awaits.await(WAIT, () -> received.size() >= 500, () -> received.size() + " of 500 delivered");
		subscription.close(Duration.ofSeconds(5));
		assertThat(pending("handler").size()).as("entries left unacknowledged after close").isZero();
		assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
	}

	@Test
	void closeHandsEntriesReadAheadBackToTheGroupAtOnceWithoutCountingADelivery() throws InterruptedException {
		RedisEventBusAdapter first = adapter(
				withBatchSize("node-1", 10).withClaim(Duration.ofSeconds(30), Duration.ofMillis(100)));
		CountDownLatch inHandler = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<Delivery> handledByFirst = new CopyOnWriteArrayList<>();
		Subscription subscription = subscribe(first, "handler", 1, (delivery) -> {
			handledByFirst.add(delivery);
			inHandler.countDown();
			await(release);
			delivery.ack();
		});
		for (int i = 0; i < 5; i++) {
			first.send(message(event("order-" + i))).join();
		}
		assertThat(inHandler.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Awaits.await(WAIT, () -> pending("handler").size() == 5, "The first consumer did not read ahead");
		Thread closing = new Thread(() -> subscription.close(WAIT));
		closing.start();
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.STOPPING, "Close did not begin");
		release.countDown();
		closing.join(WAIT.toMillis());
		assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
		assertThat(handledByFirst).hasSize(1);
		RedisEventBusAdapter second = adapter(
				withBatchSize("node-2", 10).withClaim(Duration.ofSeconds(30), Duration.ofMillis(100)));
		List<Delivery> handledBySecond = new CopyOnWriteArrayList<>();
		subscribe(second, "handler", 1, recordAndAck(handledBySecond));
		Awaits.await(WAIT, () -> handledBySecond.size() == 4,
				() -> "The entries read ahead were not handed back at once (claim idle time 30 s): "
						+ handledBySecond.size() + " of 4 taken over");
		assertThat(handledBySecond).extracting(Delivery::messageId).doesNotContain(handledByFirst.get(0).messageId());
		assertThat(handledBySecond).as("reading ahead costs no attempt").extracting(Delivery::attempt).containsOnly(1);
		Awaits.await(WAIT, () -> pending("handler").isEmpty(), "Entries stayed pending");
	}

	@Test
	void batchSubscriptionGetsFullBatchesAndSettlesEachEntryOnItsOwn() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			sent.add(adapter.send(message(event("order-" + i))).join().position());
		}
		String retried = sent.get(2);
		BatchRecorder recorder = new BatchRecorder((delivery) -> {
			if (delivery.messageId().equals(retried) && delivery.attempt() == 1) {
				delivery.retry(Duration.ofMillis(300));
			}
			else {
				delivery.ack();
			}
		});
		subscribe(adapter, "batcher", new BatchSpec(5, Duration.ofMillis(200)), recorder);
		Awaits.await(WAIT, () -> recorder.deliveries().size() == 13,
				() -> "Deliveries so far: " + recorder.deliveries());
		Awaits.await(WAIT, () -> pending("batcher").isEmpty(), "Entries stayed pending after their ack");
		assertThat(recorder.singles).as("deliveries one at a time").isEmpty();
		List<Batch> batches = recorder.batches;
		assertThat(batches).allSatisfy((batch) -> assertThat(batch.deliveries()).hasSizeBetween(1, 5));
		assertThat(batches.get(0).ids()).as("first batch, full").containsExactlyElementsOf(sent.subList(0, 5));
		assertThat(batches.get(1).ids()).as("second batch, full").containsExactlyElementsOf(sent.subList(5, 10));
		assertThat(batches.get(2).ids()).as("the rest, handed when its wait ended")
			.containsSubsequence(sent.subList(10, 12))
			.hasSizeLessThanOrEqualTo(3);
		for (String entryId : sent) {
			assertThat(recorder.deliveries()).filteredOn((delivery) -> delivery.messageId().equals(entryId))
				.as("deliveries of %s", entryId)
				.extracting(Delivery::attempt)
				.containsExactlyElementsOf(entryId.equals(retried) ? List.of(1, 2) : List.of(1));
		}
	}

	@Test
	void batchThatIsNotFullIsHandedOverItsMaxWaitAfterItsFirstEntry() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		BatchRecorder recorder = new BatchRecorder(Delivery::ack);
		subscribe(adapter, "batcher", new BatchSpec(5, Duration.ofMillis(200)), recorder);
		long sentAt = System.nanoTime();
		List<CompletableFuture<SendResult>> sends = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sends.add(adapter.send(message(event("order-" + i))));
		}
		sends.forEach(CompletableFuture::join);
		Awaits.await(WAIT, () -> recorder.deliveries().size() == 3,
				() -> "Deliveries so far: " + recorder.deliveries());
		assertThat(recorder.batches).singleElement().satisfies((batch) -> {
			assertThat(batch.ids())
				.containsExactlyElementsOf(sends.stream().map((send) -> send.join().position()).toList());
			assertThat(TimeUnit.NANOSECONDS.toMillis(batch.handedAt() - sentAt)).as("ms from send to batch")
				.isBetween(200L, 1_500L);
		});
		Awaits.await(WAIT, () -> pending("batcher").isEmpty(), "Entries stayed pending after their ack");
	}

	@Test
	void moreSubscriptionsThanPooledConnectionsAllReceive() throws Exception {
		GenericObjectPoolConfig<StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
		pool.setMaxTotal(2);
		LettuceConnectionFactory pooled = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()),
				LettucePoolingClientConfiguration.builder()
					.poolConfig(pool)
					.commandTimeout(Duration.ofSeconds(5))
					.build());
		pooled.afterPropertiesSet();
		pooled.start();
		this.closeables.add(pooled::destroy);
		RedisEventBusAdapter adapter = new RedisEventBusAdapter(pooled,
				RedisStreamSettings.of("node-1").withPollTimeout(Duration.ofMillis(200)));
		this.closeables.add(0, adapter);
		List<String> received = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 4; i++) {
			String name = "handler-" + i;
			Subscription subscription = adapter
				.subscribe(new SubscriptionSpec(this.destination, "group-" + i, name, 1, 3), (delivery) -> {
					received.add(name);
					delivery.ack();
				});
			this.closeables.add(0, () -> subscription.close(Duration.ofMillis(100)));
		}
		adapter.send(message(event("order-1"))).join();
		Awaits.await(WAIT, () -> received.size() == 4,
				() -> "Blocking reads must not wait for the application's pool; received by " + received);
		assertThat(received).containsExactlyInAnyOrder("handler-0", "handler-1", "handler-2", "handler-3");
	}

	@Test
	void deadLetterStoreBrowsesRemovesAndPurgesWithoutDroppingGroups() {
		RedisEventBusAdapter adapter = adapter(RedisStreamSettings.of("node-1"));
		String deadLetters = this.destination + ".dlq";
		List<Delivery> reader = new CopyOnWriteArrayList<>();
		subscribe(adapter, deadLetters, "dlq-reader", 1, recordAndAck(reader));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(adapter
				.send(OutboundMessage.raw(deadLetters, "order-" + i, "dead-" + i, Map.of("eventbus-dlq-attempts", "3"),
						("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)))
				.join()
				.position());
		}
		var store = adapter.deadLetterStore().orElseThrow();
		List<StoredMessage> browsed = store.browse(deadLetters, 10);
		assertThat(browsed).extracting(StoredMessage::messageId).containsExactlyElementsOf(ids);
		assertThat(browsed.get(0).key()).isEqualTo("order-0");
		assertThat(browsed.get(0).headers()).containsEntry("eventbus-dlq-attempts", "3");
		assertThat(new String(browsed.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
		assertThat(store.browse(deadLetters, 2)).hasSize(2);
		assertThat(store.remove(deadLetters, ids.get(1))).isTrue();
		assertThat(store.remove(deadLetters, ids.get(1))).isFalse();
		assertThat(store.purge(deadLetters)).isEqualTo(2);
		assertThat(store.browse(deadLetters, 10)).isEmpty();
		assertThat(redis.opsForStream().groups(deadLetters)).hasSize(1);
	}

	private static RedisStreamSettings withBatchSize(String consumerName, int batchSize) {
		RedisStreamSettings defaults = RedisStreamSettings.of(consumerName);
		return new RedisStreamSettings(consumerName, defaults.keyPrefix(), batchSize, defaults.pollTimeout(),
				defaults.claimIdleTime(), defaults.claimInterval(), null, defaults.newGroupStart(),
				defaults.healthTimeout());
	}

	private RedisEventBusAdapter adapter(RedisStreamSettings settings) {
		RedisEventBusAdapter adapter = new RedisEventBusAdapter(connectionFactory,
				settings.withPollTimeout(Duration.ofMillis(200)));
		this.closeables.add(adapter);
		return adapter;
	}

	private Subscription subscribe(RedisEventBusAdapter adapter, String name, int concurrency,
			DeliveryListener listener) {
		return subscribe(adapter, this.destination, name, concurrency, listener);
	}

	private Subscription subscribe(RedisEventBusAdapter adapter, String destination, String name, int concurrency,
			DeliveryListener listener) {
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(destination, "group", name, concurrency, 3),
				listener);
		this.closeables.add(0, () -> subscription.close(Duration.ofMillis(100)));
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Subscription did not start");
		return subscription;
	}

	private Subscription subscribe(RedisEventBusAdapter adapter, String name, BatchSpec batch,
			DeliveryListener listener) {
		Subscription subscription = adapter
			.subscribe(new SubscriptionSpec(this.destination, "group", name, 1, 3, batch), listener);
		this.closeables.add(0, () -> subscription.close(Duration.ofMillis(100)));
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Subscription did not start");
		return subscription;
	}

	private static DeliveryListener recordAndAck(List<Delivery> deliveries) {
		return (delivery) -> {
			deliveries.add(delivery);
			delivery.ack();
		};
	}

	private PendingMessages pending(String name) {
		return redis.opsForStream().pending(this.destination, "group", Range.unbounded(), 100);
	}

	private Event<Map<String, Object>> event(String subject) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("amount", 42);
		return new Event<>(UUID.randomUUID().toString(), "order.created", "urn:test", Instant.now(), subject, null,
				null, Map.of("tenant", "acme"), payload);
	}

	private OutboundMessage message(Event<?> event) {
		return OutboundMessage.ofEvent(this.destination, event, this.codec);
	}

	/**
	 * Records the batches handed to it and settles each delivery with the given settler.
	 */
	private static final class BatchRecorder implements DeliveryListener {

		final List<Batch> batches = new CopyOnWriteArrayList<>();

		final List<Delivery> singles = new CopyOnWriteArrayList<>();

		private final Consumer<Delivery> settle;

		BatchRecorder(Consumer<Delivery> settle) {
			this.settle = settle;
		}

		@Override
		public void onDelivery(Delivery delivery) {
			this.singles.add(delivery);
			this.settle.accept(delivery);
		}

		@Override
		public void onBatch(List<? extends Delivery> deliveries) {
			this.batches.add(new Batch(System.nanoTime(), List.copyOf(deliveries)));
			deliveries.forEach(this.settle);
		}

		List<Delivery> deliveries() {
			List<Delivery> all = new ArrayList<>(this.singles);
			this.batches.forEach((batch) -> all.addAll(batch.deliveries()));
			return all;
		}

	}

	/**
	 * A batch handed to the listener.
	 *
	 * @param handedAt when, in {@link System#nanoTime()}
	 * @param deliveries its deliveries
	 */
	private record Batch(long handedAt, List<Delivery> deliveries) {

		List<String> ids() {
			return this.deliveries.stream().map(Delivery::messageId).toList();
		}

	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
