package dev.eventbus.sqs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQS adapter at SPI level against ElasticMQ: visibility extension (also while a
 * delete is pending), message attributes, fan-out to groups, batches for batch handlers,
 * health and subscription figures.
 */
class SqsEventBusAdapterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final JsonEventCodec CODEC = new JsonEventCodec(JsonMapper.builder().build(),
			PlainJsonMapping.DEFAULT);

	private static ElasticMq broker;

	private final SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), SqsTestSettings.standard());

	private final String destination = "adapter-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@AfterEach
	void closeAdapter() {
		this.adapter.close();
	}

	@Test
	void slowHandlerIsNotRedeliveredWhileItRuns() throws Exception {
		AtomicInteger deliveries = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<Delivery> received = new CopyOnWriteArrayList<>();
		Subscription subscription = subscribe("slow", (delivery) -> {
			deliveries.incrementAndGet();
			received.add(delivery);
			awaitLatch(release);
			delivery.ack();
		});
		send(OutboundMessage.raw(this.destination, "order-1", "slow-1", Map.of(), "{\"slow\":true}".getBytes()));
		await().atMost(TIMEOUT).until(() -> deliveries.get() == 1);
		Duration visibility = SqsTestSettings.standard().visibilityTimeout();
		await().during(visibility.multipliedBy(3))
			.atMost(visibility.multipliedBy(4))
			.until(() -> deliveries.get() == 1);
		assertThat(subscription.details()).containsEntry("inFlight", 1);
		release.countDown();
		String queueUrl = broker.client()
			.getQueueUrl((request) -> request.queueName(queueName("slow")))
			.join()
			.queueUrl();
		await().atMost(TIMEOUT).until(() -> messagesIn(queueUrl) == 0);
		assertThat(deliveries).as("deliveries of a message whose handler ran for 3 visibility timeouts").hasValue(1);
		assertThat(received.get(0).attempt()).isEqualTo(1);
	}

	@Test
	void messageIsNotRedeliveredWhileItsDeleteIsPending() {
		Duration visibility = SqsTestSettings.standard().visibilityTimeout();
		Duration deleteDelay = visibility.multipliedBy(5).dividedBy(2);
		AtomicInteger deliveries = new AtomicInteger();
		try (SqsEventBusAdapter slowDeletes = new SqsEventBusAdapter(deletingLater(deleteDelay, false),
				SqsTestSettings.standard())) {
			Subscription subscription = subscribe(slowDeletes, "slow-delete", (delivery) -> {
				deliveries.incrementAndGet();
				delivery.ack();
			});
			send(slowDeletes,
					OutboundMessage.raw(this.destination, "order-1", "slow-delete-1", Map.of(), "{}".getBytes()));
			await().atMost(TIMEOUT).until(() -> deliveries.get() == 1);
			await().atMost(visibility)
				.untilAsserted(() -> assertThat(subscription.details()).as("a pending delete holds no permit")
					.containsEntry("inFlight", 0));
			Duration window = deleteDelay.plus(visibility);
			await().during(window)
				.atMost(window.multipliedBy(2))
				.untilAsserted(() -> assertThat(deliveries)
					.as("deliveries of a message whose delete took %s, with a visibility timeout of %s", deleteDelay,
							visibility)
					.hasValue(1));
			String queueUrl = broker.client()
				.getQueueUrl((request) -> request.queueName(queueName("slow-delete")))
				.join()
				.queueUrl();
			await().atMost(TIMEOUT).until(() -> messagesIn(queueUrl) == 0);
			assertThat(deliveries).hasValue(1);
		}
	}

	@Test
	void messageWhoseDeleteFailsIsDeliveredAgain() {
		Duration visibility = SqsTestSettings.standard().visibilityTimeout();
		List<Delivery> received = new CopyOnWriteArrayList<>();
		try (SqsEventBusAdapter failingDeletes = new SqsEventBusAdapter(deletingLater(visibility, true),
				SqsTestSettings.standard())) {
			subscribe(failingDeletes, "failed-delete", acking(received));
			send(failingDeletes,
					OutboundMessage.raw(this.destination, "order-2", "failed-delete-1", Map.of(), "{}".getBytes()));
			await().atMost(TIMEOUT).until(() -> received.size() >= 2);
			assertThat(received.get(1).messageId()).isEqualTo(received.get(0).messageId());
			assertThat(received.get(1).attempt()).isEqualTo(2);
		}
	}

	@Test
	void retryDelayIsNotReplacedByAnExtensionOnItsWay() {
		Duration visibility = Duration.ofSeconds(6);
		Duration retryDelay = Duration.ofSeconds(2);
		CountDownLatch extensionSent = new CountDownLatch(1);
		List<Long> deliveredAt = new CopyOnWriteArrayList<>();
		AtomicLong retriedAt = new AtomicLong();
		SqsAdapterSettings settings = SqsTestSettings.standard().withTimeouts(visibility, Duration.ofSeconds(1));
		try (SqsEventBusAdapter slowExtensions = new SqsEventBusAdapter(
				extendingLater(visibility, Duration.ofMillis(500), extensionSent), settings)) {
			subscribe(slowExtensions, "retry-after-extension", (delivery) -> {
				deliveredAt.add(System.nanoTime());
				if (delivery.attempt() > 1) {
					delivery.ack();
					return;
				}
				try {
					extensionSent.await(visibility.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				retriedAt.set(System.nanoTime());
				delivery.retry(retryDelay);
			});
			send(slowExtensions,
					OutboundMessage.raw(this.destination, "order-3", "retried-1", Map.of(), "{}".getBytes()));
			await().atMost(visibility.multipliedBy(3)).until(() -> deliveredAt.size() == 2);
			assertThat(extensionSent.getCount()).as("an extension was on its way when the handler gave up").isZero();
			Duration redeliveredAfter = Duration.ofNanos(deliveredAt.get(1) - retriedAt.get());
			assertThat(redeliveredAfter).as("redelivery after a retry with a delay of %s", retryDelay)
				.isGreaterThanOrEqualTo(retryDelay.minusMillis(100))
				.isLessThan(visibility.minusSeconds(1));
		}
	}

	@Test
	void tenSendsOf20KiBGoOutAsOneBatchRequest() {
		AtomicInteger batches = new AtomicInteger();
		SqsAsyncClient counting = counting("sendMessageBatch", batches);
		String body = "{\"padding\":\"" + "x".repeat(20 * 1024 - 14) + "\"}";
		List<Delivery> received = new CopyOnWriteArrayList<>();
		try (SqsEventBusAdapter lingering = new SqsEventBusAdapter(counting,
				SqsTestSettings.standard().withSendLinger(Duration.ofSeconds(5)))) {
			subscribe(lingering, "large", acking(received));
			List<CompletableFuture<?>> sends = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				sends.add(lingering.send(OutboundMessage.raw(this.destination, "order-" + i, "large-" + i, Map.of(),
						body.getBytes(StandardCharsets.UTF_8))));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
				.join();
			assertThat(batches).as("SendMessageBatch requests for 10 bodies of 20 KiB").hasValue(1);
			await().atMost(TIMEOUT).until(() -> received.size() == 10);
		}
	}

	@Test
	void fifoSendsOfOneGroupAreStoredInPublishOrderWhenAnEarlierBatchIsSlow() {
		CountDownLatch firstBatchSent = new CountDownLatch(1);
		AtomicInteger batches = new AtomicInteger();
		SqsAsyncClient firstBatchSlow = delaying((method, args) -> {
			if (!method.getName().equals("sendMessageBatch")) {
				return false;
			}
			firstBatchSent.countDown();
			return batches.incrementAndGet() == 1;
		}, Duration.ofSeconds(2), false);
		List<Delivery> received = new CopyOnWriteArrayList<>();
		try (SqsEventBusAdapter fifo = new SqsEventBusAdapter(firstBatchSlow, SqsTestSettings.fifo())) {
			subscribe(fifo, "ordered", acking(received));
			CompletableFuture<?> first = fifo
				.send(OutboundMessage.raw(this.destination, "order-1", "fifo-1", Map.of(), "{\"n\":1}".getBytes()));
			awaitLatch(firstBatchSent);
			CompletableFuture<?> second = fifo
				.send(OutboundMessage.raw(this.destination, "order-1", "fifo-2", Map.of(), "{\"n\":2}".getBytes()));
			CompletableFuture.allOf(first, second).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
			await().atMost(TIMEOUT).until(() -> received.size() == 2);
			assertThat(received).extracting((delivery) -> new String(delivery.body(), StandardCharsets.UTF_8))
				.containsExactly("{\"n\":1}", "{\"n\":2}");
			assertThat(batches).as("SendMessageBatch requests").hasValue(2);
		}
	}

	@Test
	void fifoSendOfAGroupFollowsARefusedOneOfTheSameGroup() {
		AtomicInteger batches = new AtomicInteger();
		SqsAsyncClient firstBatchRefused = delaying(
				(method, args) -> method.getName().equals("sendMessageBatch") && batches.incrementAndGet() == 1,
				Duration.ofMillis(500), true);
		List<Delivery> received = new CopyOnWriteArrayList<>();
		try (SqsEventBusAdapter fifo = new SqsEventBusAdapter(firstBatchRefused, SqsTestSettings.fifo())) {
			subscribe(fifo, "after-refusal", acking(received));
			CompletableFuture<?> refused = fifo
				.send(OutboundMessage.raw(this.destination, "order-1", "fifo-1", Map.of(), "{\"n\":1}".getBytes()));
			CompletableFuture<?> accepted = fifo
				.send(OutboundMessage.raw(this.destination, "order-1", "fifo-2", Map.of(), "{\"n\":2}".getBytes()));
			assertThat(accepted).succeedsWithin(TIMEOUT);
			assertThat(refused).isCompletedExceptionally();
			await().atMost(TIMEOUT).until(() -> received.size() == 1);
			assertThat(new String(received.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
		}
	}

	@Test
	void batchSubscriptionHandsOutBatchesOfAtMostItsSizeAndSettlesEachMessageOnItsOwn() {
		BatchSpec batch = new BatchSpec(15, Duration.ofMillis(300));
		String group = "batches";
		broker.client().createQueue((request) -> request.queueName(queueName(group))).join();
		sendNumbered(this.adapter, null, 32);
		Map<String, Receipt> receipts = new ConcurrentHashMap<>();
		BatchRecorder recorder = new BatchRecorder(
				(delivery) -> (number(delivery) == 7 && delivery.attempt() == 1) ? Duration.ofSeconds(1) : null);
		try (SqsEventBusAdapter batching = new SqsEventBusAdapter(recordingReceives(receipts),
				SqsTestSettings.standard())) {
			batching.subscribe(new SubscriptionSpec(this.destination, group, group, 2, 3, batch), recorder);
			String queueUrl = broker.client()
				.getQueueUrl((request) -> request.queueName(queueName(group)))
				.join()
				.queueUrl();
			await().atMost(TIMEOUT)
				.until(() -> recorder.attemptsOf(7).size() == 2 && recorder.acknowledged() == 32
						&& messagesIn(queueUrl) == 0);
		}
		List<Handed> handed = recorder.handed();
		assertThat(recorder.singles).as("deliveries handed one at a time").isEmpty();
		assertThat(handed).allSatisfy((one) -> assertThat(one.deliveries()).hasSizeLessThanOrEqualTo(15));
		assertThat(handed.subList(0, 2)).as("the first two batches, from a queue holding 32 messages")
			.allSatisfy((full) -> {
				assertThat(full.deliveries()).hasSize(15);
				assertThat(
						full.deliveries().stream().map((delivery) -> receipt(receipts, delivery).receive()).distinct())
					.as("receives of a full batch")
					.hasSizeGreaterThan(1);
			});
		assertThat(handed).filteredOn((partial) -> partial.deliveries().size() < 15)
			.isNotEmpty()
			.allSatisfy((partial) -> {
				long firstReceived = partial.deliveries()
					.stream()
					.mapToLong((delivery) -> receipt(receipts, delivery).at())
					.min()
					.orElseThrow();
				assertThat(Duration.ofNanos(partial.at() - firstReceived))
					.as("time from the first message read to a partial batch handed out")
					.isGreaterThanOrEqualTo(batch.maxWait())
					.isLessThan(Duration.ofSeconds(1));
			});
		for (int n = 0; n < 32; n++) {
			assertThat(recorder.attemptsOf(n)).as("attempts of message %d", n)
				.containsExactlyElementsOf((n == 7) ? List.of(1, 2) : List.of(1));
		}
	}

	@Test
	void fifoBatchMessagesOfAGroupGivenBackTogetherComeAgainInOrder() {
		BatchSpec batch = new BatchSpec(10, Duration.ofMillis(300));
		String group = "fifo-batches";
		broker.client()
			.createQueue((request) -> request.queueName(queueName(group) + SqsQueueNames.FIFO_SUFFIX)
				.attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
			.join();
		try (SqsEventBusAdapter fifo = new SqsEventBusAdapter(broker.client(), SqsTestSettings.fifo())) {
			sendNumbered(fifo, "order-1", 5);
			BatchRecorder recorder = new BatchRecorder(
					(delivery) -> (number(delivery) > 1 && delivery.attempt() == 1) ? Duration.ofMillis(20) : null);
			fifo.subscribe(new SubscriptionSpec(this.destination, group, group, 2, 3, batch), recorder);
			await().atMost(TIMEOUT).until(() -> recorder.acknowledged() == 5);
			assertThat(recorder.handed().stream().flatMap((one) -> one.deliveries().stream()).map(this::number))
				.as("messages of group order-1 as handed out, 2 to 4 given back once")
				.containsExactly(0, 1, 2, 3, 4, 2, 3, 4);
			assertThat(recorder.handed()).first()
				.satisfies((first) -> assertThat(first.deliveries()).as("the first batch").hasSize(5));
		}
	}

	@Test
	void headersBeyondTheAttributeLimitKeepTheirValuesAndTheKey() {
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe("headers", acking(received));
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < 12; i++) {
			headers.put("header-" + i, "value-" + i);
		}
		headers.put("empty", "");
		headers.put("AWS.reserved", "kept");
		send(OutboundMessage.raw(this.destination, "customer-42", "many-headers", headers, "{}".getBytes()));
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		Map<String, String> withBrokerTime = new LinkedHashMap<>(received.get(0).headers());
		assertThat(withBrokerTime.remove(JsonEventCodec.BROKER_TIME))
			.as("SentTimestamp of a body that may be plain JSON")
			.isNotNull();
		assertThat(withBrokerTime).isEqualTo(headers);
		assertThat(received.get(0).key()).isEqualTo("customer-42");
	}

	@Test
	void eventsCarryTheirKeyInTheCloudEventsBodyOnly() {
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe("keyed", acking(received));
		send(event(this.destination, "order-7"));
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(received.get(0).key()).isEqualTo("order-7");
		assertThat(received.get(0).headers()).isEmpty();
		String unread = this.destination + "-unread";
		send(event(unread, "order-8"));
		String queueUrl = broker.client().getQueueUrl((request) -> request.queueName(unread)).join().queueUrl();
		List<Message> onTheWire = broker.client()
			.receiveMessage((request) -> request.queueUrl(queueUrl).messageAttributeNames("All").waitTimeSeconds(1))
			.join()
			.messages();
		assertThat(onTheWire).singleElement().satisfies((message) -> {
			assertThat(message.messageAttributes()).isEmpty();
			assertThat(message.body()).contains("\"subject\":\"order-8\"");
		});
	}

	@Test
	void bodiesThatAreNotSqsTextArriveUnchanged() {
		List<Delivery> received = new CopyOnWriteArrayList<>();
		subscribe("binary", acking(received));
		byte[] body = { 0, 1, 2, (byte) 0xFF, (byte) 0xC3 };
		send(OutboundMessage.raw(this.destination, null, "binary", Map.of("kind", "binary"), body));
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(received.get(0).body()).isEqualTo(body);
		assertThat(received.get(0).headers()).containsExactly(Map.entry("kind", "binary"));
		assertThat(received.get(0).key()).isNull();
	}

	@Test
	void plainJsonWithoutTimeTakesTheSentTimestampOfItsIngressMessageOnEveryDelivery() {
		List<Event<?>> decoded = new CopyOnWriteArrayList<>();
		subscribe("broker-time", (delivery) -> {
			decoded.add(CODEC.decodeEnvelope(delivery.headers(), delivery.body(), "test",
					() -> this.destination + "/" + delivery.messageId()));
			if (delivery.attempt() == 1) {
				delivery.retry(Duration.ofSeconds(1));
			}
			else {
				delivery.ack();
			}
		});
		String ingressUrl = await().atMost(TIMEOUT)
			.ignoreExceptions()
			.until(() -> broker.client()
				.getQueueUrl((request) -> request.queueName(this.destination))
				.join()
				.queueUrl(), (url) -> url != null);
		Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		broker.client()
			.sendMessage((request) -> request.queueUrl(ingressUrl)
				.messageBody("{\"type\":\"order.cancelled\",\"data\":{\"orderId\":\"o-1\"}}"))
			.join();
		Instant after = Instant.now();
		await().atMost(TIMEOUT).until(() -> decoded.size() >= 2);
		assertThat(decoded.get(0).time()).as("the SentTimestamp of the ingress message").isBetween(before, after);
		assertThat(decoded).extracting(Event::time)
			.as("time of the first delivery and of the redelivery through SQS")
			.containsOnly(decoded.get(0).time());
		assertThat(decoded).extracting(Event::id).containsOnly(decoded.get(0).id());
	}

	@Test
	void everyGroupQueueOfTheDestinationGetsEachMessage() {
		List<Delivery> first = new CopyOnWriteArrayList<>();
		List<Delivery> second = new CopyOnWriteArrayList<>();
		subscribe("first", acking(first));
		subscribe("second", acking(second));
		send(OutboundMessage.raw(this.destination, "k", "fan-out", Map.of(), "{\"n\":1}".getBytes()));
		await().atMost(TIMEOUT).until(() -> first.size() == 1 && second.size() == 1);
		assertThat(new String(first.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
		assertThat(first.get(0).messageId()).isNotEqualTo(second.get(0).messageId());
	}

	@Test
	void eventsPublishedRightAfterSubscribeReachTheGroup() {
		List<Delivery> received = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(new SubscriptionSpec(this.destination, "early", "early", 2, 3), acking(received));
		send(OutboundMessage.raw(this.destination, "k", "right-away", Map.of(), "{\"n\":1}".getBytes()));
		await().atMost(TIMEOUT).until(() -> received.size() == 1);
		assertThat(new String(received.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
	}

	@Test
	void messagesForADestinationWithoutGroupsWaitInItsDestinationQueue() {
		send(OutboundMessage.raw(this.destination, null, "unread", Map.of(), "{}".getBytes()));
		String queueUrl = broker.client()
			.getQueueUrl((request) -> request.queueName(this.destination))
			.join()
			.queueUrl();
		assertThat(messagesIn(queueUrl)).isEqualTo(1);
	}

	@Test
	void healthChecksTheQueueOfEachRunningSubscription() {
		subscribe("health", acking(new CopyOnWriteArrayList<>()));
		AdapterHealth health = this.adapter.health();
		assertThat(health.up()).isTrue();
		assertThat(health.details()).containsEntry("queues", Map.of(queueName("health"), "reachable"));
	}

	@Test
	void groupQueuesGetARedrivePolicyToTheDeadLetterQueue() {
		subscribe("redrive", acking(new CopyOnWriteArrayList<>()));
		String queueUrl = broker.client()
			.getQueueUrl((request) -> request.queueName(queueName("redrive")))
			.join()
			.queueUrl();
		String policy = broker.client()
			.getQueueAttributes(
					(request) -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
			.join()
			.attributes()
			.get(QueueAttributeName.REDRIVE_POLICY);
		assertThat(policy).contains(this.destination + "_dlq").containsPattern("\"maxReceiveCount\":\"?5\"?");
	}

	private Subscription subscribe(String group, DeliveryListener listener) {
		return subscribe(this.adapter, group, listener);
	}

	private Subscription subscribe(SqsEventBusAdapter adapter, String group, DeliveryListener listener) {
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(this.destination, group, group, 2, 3),
				listener);
		await().atMost(TIMEOUT).until(() -> subscription.state() == SubscriptionState.RUNNING);
		return subscription;
	}

	/**
	 * The broker's client, except that deletes are sent only after a delay, as when SQS
	 * answers slowly under load, and then optionally fail without being sent.
	 * @param delay how long each delete waits
	 * @param fail whether deletes fail after the delay
	 * @return the client
	 */
	private static SqsAsyncClient deletingLater(Duration delay, boolean fail) {
		return delaying((method, args) -> method.getName().startsWith("deleteMessage"), delay, fail);
	}

	/**
	 * The broker's client, except that extensions of the visibility timeout (batched
	 * visibility changes to the whole timeout) are sent only after a delay.
	 * @param visibility the visibility timeout the adapter extends to
	 * @param delay how long each extension waits
	 * @param sent counted down when an extension is requested
	 * @return the client
	 */
	private static SqsAsyncClient extendingLater(Duration visibility, Duration delay, CountDownLatch sent) {
		return delaying((method, args) -> {
			boolean extension = method.getName().equals("changeMessageVisibilityBatch")
					&& args[0] instanceof ChangeMessageVisibilityBatchRequest request
					&& request.entries()
						.stream()
						.anyMatch((entry) -> entry.visibilityTimeout() == visibility.toSeconds());
			if (extension) {
				sent.countDown();
			}
			return extension;
		}, delay, false);
	}

	/**
	 * The broker's client, except that some calls are sent only after a delay, and then
	 * optionally fail without being sent.
	 * @param delayed which calls wait
	 * @param delay how long they wait
	 * @param fail whether they fail after the delay
	 * @return the client
	 */
	private static SqsAsyncClient delaying(BiPredicate<Method, Object[]> delayed, Duration delay, boolean fail) {
		SqsAsyncClient client = broker.client();
		Executor later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
		return (SqsAsyncClient) Proxy.newProxyInstance(SqsAsyncClient.class.getClassLoader(),
				new Class<?>[] { SqsAsyncClient.class }, (proxy, method, args) -> {
					if (!delayed.test(method, args)) {
						return invoke(client, method, args);
					}
					return CompletableFuture.runAsync(() -> {
					}, later)
						.<Object>thenCompose((sent) -> fail
								? CompletableFuture
									.failedFuture(new IllegalStateException(method.getName() + " refused"))
								: ((CompletableFuture<?>) invoke(client, method, args))
									.thenApply((response) -> response));
				});
	}

	private static SqsAsyncClient counting(String operation, AtomicInteger calls) {
		return delaying((method, args) -> {
			if (method.getName().equals(operation)) {
				calls.incrementAndGet();
			}
			return false;
		}, Duration.ZERO, false);
	}

	private static Object invoke(SqsAsyncClient client, Method method, Object[] args) {
		try {
			return method.invoke(client, args);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The broker's client, except that the receipt of each message a receive returns is
	 * recorded: which receive returned it, and when.
	 * @param receipts the receipts by receipt handle
	 * @return the client
	 */
	@SuppressWarnings("unchecked")
	private static SqsAsyncClient recordingReceives(Map<String, Receipt> receipts) {
		SqsAsyncClient client = broker.client();
		AtomicInteger receives = new AtomicInteger();
		return (SqsAsyncClient) Proxy.newProxyInstance(SqsAsyncClient.class.getClassLoader(),
				new Class<?>[] { SqsAsyncClient.class }, (proxy, method, args) -> {
					Object result = invoke(client, method, args);
					if (!method.getName().equals("receiveMessage")) {
						return result;
					}
					return ((CompletableFuture<ReceiveMessageResponse>) result).thenApply((response) -> {
						Receipt receipt = new Receipt(receives.incrementAndGet(), System.nanoTime());
						response.messages().forEach((message) -> receipts.put(message.receiptHandle(), receipt));
						return response;
					});
				});
	}

	private static Receipt receipt(Map<String, Receipt> receipts, Delivery delivery) {
		return receipts.get(((SqsDelivery) delivery).message().receiptHandle());
	}

	private void sendNumbered(SqsEventBusAdapter adapter, @Nullable String key, int count) {
		List<CompletableFuture<?>> sends = new ArrayList<>();
		for (int n = 0; n < count; n++) {
			sends.add(adapter.send(OutboundMessage.raw(this.destination, key, "numbered-" + n, Map.of("n", "" + n),
					("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
			.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.join();
	}

	private int number(Delivery delivery) {
		return Integer.parseInt(delivery.headers().get("n"));
	}

	/**
	 * Which receive returned a message, and when.
	 *
	 * @param receive the number of the receive
	 * @param at when it returned, in {@link System#nanoTime()}
	 */
	private record Receipt(int receive, long at) {
	}

	/**
	 * A batch handed to the listener.
	 *
	 * @param at when, in {@link System#nanoTime()}
	 * @param deliveries its deliveries
	 */
	private record Handed(long at, List<Delivery> deliveries) {
	}

	/**
	 * A batch listener that records the batches it is handed and the attempts of each
	 * numbered message, and acknowledges every delivery except those it retries.
	 */
	private final class BatchRecorder implements DeliveryListener {

		private final Function<Delivery, @Nullable Duration> retries;

		private final List<Handed> handed = new CopyOnWriteArrayList<>();

		private final Map<Integer, List<Integer>> attempts = new ConcurrentHashMap<>();

		private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

		final List<Delivery> singles = new CopyOnWriteArrayList<>();

		/**
		 * Create a recorder.
		 * @param retries the delay to retry a delivery with, or {@code null} to
		 * acknowledge it
		 */
		BatchRecorder(Function<Delivery, @Nullable Duration> retries) {
			this.retries = retries;
		}

		@Override
		public void onDelivery(Delivery delivery) {
			this.singles.add(delivery);
			delivery.ack();
		}

		@Override
		public void onBatch(List<? extends Delivery> deliveries) {
			this.handed.add(new Handed(System.nanoTime(), List.copyOf(deliveries)));
			for (Delivery delivery : deliveries) {
				int n = number(delivery);
				this.attempts.computeIfAbsent(n, (key) -> new CopyOnWriteArrayList<>()).add(delivery.attempt());
				Duration delay = this.retries.apply(delivery);
				if (delay != null) {
					delivery.retry(delay);
				}
				else {
					this.acknowledged.add(n);
					delivery.ack();
				}
			}
		}

		List<Handed> handed() {
			return List.copyOf(this.handed);
		}

		List<Integer> attemptsOf(int n) {
			return List.copyOf(this.attempts.getOrDefault(n, List.of()));
		}

		int acknowledged() {
			return this.acknowledged.size();
		}

	}

	private static DeliveryListener acking(List<Delivery> received) {
		return (delivery) -> {
			received.add(delivery);
			delivery.ack();
		};
	}

	private static OutboundMessage event(String destination, String subject) {
		Event<Map<String, Object>> event = new Event<>(UUID.randomUUID().toString(), "order.placed", "urn:test",
				Instant.now(), subject, null, null, Map.of(), Map.of("total", 42));
		return OutboundMessage.ofEvent(destination, event, CODEC);
	}

	private void send(OutboundMessage message) {
		send(this.adapter, message);
	}

	private static void send(SqsEventBusAdapter adapter, OutboundMessage message) {
		adapter.send(message).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	private String queueName(String group) {
		return this.destination + "__" + group;
	}

	private static long messagesIn(String queueUrl) {
		Map<QueueAttributeName, String> attributes = broker.client()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				+ Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
