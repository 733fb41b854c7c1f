package dev.eventbus.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusOverloadedException;
import dev.eventbus.api.PublishException;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InMemoryEventBusAdapter}: sending, backpressure, in-process hand-over
 * and closing. Delivery semantics shared with other adapters are covered by the
 * conformance suite in {@code eventbus-test}.
 */
class InMemoryEventBusAdapterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	@AfterEach
	void close() {
		this.adapter.close();
	}

	@Test
	void sendFailsWithOverloadedExceptionAfterEnqueueTimeoutWhenGroupStaysFull() throws Exception {
		this.adapter = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(2).withEnqueueTimeout(Duration.ofMillis(200)));
		List<Delivery> neverSettled = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), neverSettled::add);
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 1))).isCompleted();
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 2))).isCompleted();
		await().atMost(TIMEOUT).until(() -> neverSettled.size() == 1);
		long start = System.nanoTime();
		CompletableFuture<SendResult> overloaded = this.adapter.send(TestMessages.message("orders", "a", 3));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(190)).isLessThan(TIMEOUT);
		assertThat(overloaded).isCompletedExceptionally();
		Throwable failure = failureOf(overloaded);
		assertThat(failure).isInstanceOf(EventBusOverloadedException.class)
			.hasMessageContaining("'orders'")
			.hasMessageContaining("'billing'")
			.hasMessageContaining("2 messages")
			.hasMessageContaining("200ms")
			.hasMessageContaining(InMemoryAdapterSettings.QUEUE_CAPACITY_PROPERTY)
			.hasMessageContaining(InMemoryAdapterSettings.ENQUEUE_TIMEOUT_PROPERTY);
		assertThat(this.adapter.history("orders", 10)).hasSize(2);
	}

	@Test
	void sendQueuesBeforeReturningAndFailsOnceClosed() {
		List<Delivery> neverSettled = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), neverSettled::add);
		CompletableFuture<SendResult> sent = this.adapter.send(TestMessages.message("orders", "a", 1));
		assertThat(sent).isCompleted();
		assertThat(sent.join().position()).isEqualTo("1");
		assertThat(this.adapter.history("orders", 10)).hasSize(1);
		this.adapter.close();
		assertThat(failureOf(this.adapter.send(TestMessages.message("orders", "a", 2))))
			.isInstanceOf(PublishException.class)
			.hasMessageContaining("closed");
	}

	@Test
	void capacityIsReturnedWhenDeliveriesAreAcknowledged() {
		this.adapter = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(1).withEnqueueTimeout(Duration.ofMillis(50)));
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), deliveries::add);
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 1))).isCompleted();
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 2))).isCompletedExceptionally();
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 1);
		deliveries.get(0).ack();
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 3))).isCompleted();
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 2);
		assertThat(TestMessages.sequenceOf(deliveries.get(1).event())).isEqualTo(3);
	}

	@Test
	void roomOfAcknowledgementsHeldBackByTheLaneIsReclaimedBySenderThatFindsTheGroupFull() {
		this.adapter = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(3).withEnqueueTimeout(Duration.ZERO));
		List<Delivery> handled = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			handled.add(delivery);
			delivery.ack();
		});
		for (int round = 0; round < 5; round++) {
			for (int i = 1; i <= 3; i++) {
				assertThat(this.adapter.send(TestMessages.message("orders", "a", round * 3 + i))).isCompleted();
			}
			int expected = (round + 1) * 3;
			await().atMost(TIMEOUT)
				.until(() -> handled.size() == expected && this.adapter.health().details().get("queued").equals(0));
		}
		assertThat(handled).extracting((delivery) -> TestMessages.sequenceOf(delivery.event()))
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	}

	@Test
	void everyGroupWaitsForRoomSoOneFullGroupRejectsTheMessageForAll() {
		this.adapter = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(1).withEnqueueTimeout(Duration.ofMillis(50)));
		List<Delivery> fast = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "fast", 1), (delivery) -> {
			fast.add(delivery);
			delivery.ack();
		});
		this.adapter.subscribe(spec("orders", "stuck", 1), (delivery) -> {
		});
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 1))).isCompleted();
		CompletableFuture<SendResult> rejected = this.adapter.send(TestMessages.message("orders", "a", 2));
		assertThat(failureOf(rejected)).isInstanceOf(EventBusOverloadedException.class).hasMessageContaining("'stuck'");
		await().atMost(TIMEOUT).until(() -> fast.size() == 1);
		assertThat(fast).extracting((delivery) -> TestMessages.sequenceOf(delivery.event())).containsExactly(1);
		assertThat(this.adapter.send(TestMessages.message("orders", "a", 3))).isCompletedExceptionally();
	}

	@Test
	void eventIsHandedOverInProcessAndEncodedOnlyWhenAsked() {
		Event<Map<String, Object>> event = TestMessages.event("order-1", 7);
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			deliveries.add(delivery);
			delivery.ack();
		});
		SendResult result = this.adapter.send(TestMessages.message("orders", event)).join();
		assertThat(result.position()).isEqualTo("1");
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 1);
		Delivery delivery = deliveries.get(0);
		assertThat(delivery.event()).isSameAs(event);
		assertThat(delivery.destination()).isEqualTo("orders");
		assertThat(delivery.key()).isEqualTo("order-1");
		assertThat(delivery.messageId()).isEqualTo("1");
		assertThat(delivery.attempt()).isEqualTo(1);
		Event<?> decoded = TestMessages.CODEC.decode(delivery.headers(), delivery.body(), "unused");
		assertThat(decoded.id()).isEqualTo(event.id());
		assertThat(decoded.subject()).isEqualTo("order-1");
	}

	@Test
	void listenersRunOnTheExecutorGivenAndAnIdleBusHoldsNoThread() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("given-");
		executor.initialize();
		try {
			this.adapter = new InMemoryEventBusAdapter(InMemoryAdapterSettings.DEFAULTS, executor);
			List<Thread> threads = new CopyOnWriteArrayList<>();
			this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
				threads.add(Thread.currentThread());
				delivery.ack();
			});
			for (int i = 1; i <= 3; i++) {
				this.adapter.send(TestMessages.message("orders", "a", i)).join();
			}
			await().atMost(TIMEOUT).until(() -> threads.size() == 3);
			assertThat(threads).allSatisfy((thread) -> assertThat(thread.getName()).startsWith("given-"));
			await().atMost(TIMEOUT).until(() -> executor.getActiveCount() == 0);
		}
		finally {
			this.adapter.close();
			executor.shutdown();
		}
	}

	@Test
	void busyLaneKeepsItsThreadWhileNoOtherLaneWaitsForOne() {
		Subscription first = this.adapter.subscribe(spec("orders", "billing", 1), Delivery::ack);
		first.close(Duration.ofSeconds(1));
		for (int i = 0; i < 1_000; i++) {
			this.adapter.send(TestMessages.message("orders", "a", i)).join();
		}
		List<Thread> threads = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			threads.add(Thread.currentThread());
			delivery.ack();
		});
		await().atMost(TIMEOUT).until(() -> threads.size() == 1_000);
		assertThat(Set.copyOf(threads).size()).isLessThanOrEqualTo(1_000 / 64 + 1);
	}

	@Test
	void busyLaneHandsItsThreadOverToALaneWaitingForOne() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(1);
		executor.initialize();
		this.adapter = new InMemoryEventBusAdapter(InMemoryAdapterSettings.DEFAULTS, executor);
		for (String destination : List.of("orders", "payments")) {
			this.adapter.subscribe(spec(destination, "billing", 1), Delivery::ack).close(Duration.ofSeconds(1));
			for (int i = 0; i < 1_000; i++) {
				this.adapter.send(TestMessages.message(destination, "a", i)).join();
			}
		}
		CountDownLatch paymentsSubscribed = new CountDownLatch(1);
		List<String> handled = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			if (handled.isEmpty()) {
				awaitUninterruptibly(paymentsSubscribed);
			}
			handled.add(delivery.destination());
			delivery.ack();
		});
		this.adapter.subscribe(spec("payments", "billing", 1), (delivery) -> {
			handled.add(delivery.destination());
			delivery.ack();
		});
		paymentsSubscribed.countDown();
		await().atMost(TIMEOUT).until(() -> handled.size() == 2_000);
		assertThat(handled.indexOf("payments")).isBetween(1, 300);
		assertThat(handled.lastIndexOf("orders")).isGreaterThan(handled.indexOf("payments"));
		executor.shutdown();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			assertThat(latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	@Test
	void rawMessageIsDeliveredWithItsHeadersAndBody() {
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			deliveries.add(delivery);
			delivery.ack();
		});
		this.adapter.send(OutboundMessage.raw("orders", "k", "raw-1", Map.of("h", "v"), "not json".getBytes()));
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 1);
		assertThat(deliveries.get(0).event()).isNull();
		assertThat(deliveries.get(0).headers()).containsExactly(Map.entry("h", "v"));
		assertThat(deliveries.get(0).body()).asString().isEqualTo("not json");
	}

	@Test
	void messagesSentWhileGroupHasNoMemberWaitForTheNextMember() {
		Subscription first = this.adapter.subscribe(spec("orders", "billing", 2), Delivery::ack);
		first.close(Duration.ofSeconds(1));
		for (int i = 0; i < 10; i++) {
			this.adapter.send(TestMessages.message("orders", "k" + i, i)).join();
		}
		assertThat(first.details()).containsEntry("queued", 10).containsEntry("members", 0);
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 2), (delivery) -> {
			deliveries.add(delivery);
			delivery.ack();
		});
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 10);
	}

	@Test
	void listenerThatThrowsHasItsDeliveryRetried() {
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			deliveries.add(delivery);
			if (delivery.attempt() == 1) {
				throw new IllegalStateException("boom");
			}
			delivery.ack();
		});
		this.adapter.send(TestMessages.message("orders", "a", 1)).join();
		await().atMost(TIMEOUT).until(() -> deliveries.size() == 2);
		assertThat(deliveries).extracting(Delivery::attempt).containsExactly(1, 2);
		assertThat(deliveries.get(1).messageId()).isEqualTo(deliveries.get(0).messageId());
	}

	@Test
	void unsettledDeliveryOfClosedSubscriptionGoesToAnotherMemberAndLateAckIsIgnored() {
		List<Delivery> stuck = new CopyOnWriteArrayList<>();
		Subscription dying = this.adapter.subscribe(spec("orders", "billing", 1), stuck::add);
		this.adapter.send(TestMessages.message("orders", "a", 1)).join();
		await().atMost(TIMEOUT).until(() -> stuck.size() == 1);
		List<Delivery> survivor = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), survivor::add);
		dying.close(Duration.ofMillis(20));
		assertThat(dying.state()).isEqualTo(SubscriptionState.STOPPED);
		await().atMost(TIMEOUT).until(() -> survivor.size() == 1);
		assertThat(survivor.get(0).attempt()).isEqualTo(2);
		stuck.get(0).ack();
		stuck.get(0).retry(Duration.ZERO);
		assertThat(dying.details()).containsEntry("inFlight", 1).containsEntry("queued", 0);
		survivor.get(0).ack();
		assertThat(dying.details()).containsEntry("inFlight", 0).containsEntry("queued", 0);
		dying.close(Duration.ZERO);
		assertThat(dying.state()).isEqualTo(SubscriptionState.STOPPED);
	}

	@Test
	void lateAckOfHandedBackDeliveryRemovesItWhileNoMemberTookIt() {
		List<Delivery> stuck = new CopyOnWriteArrayList<>();
		Subscription only = this.adapter.subscribe(spec("orders", "billing", 1), stuck::add);
		this.adapter.send(TestMessages.message("orders", "a", 1)).join();
		await().atMost(TIMEOUT).until(() -> stuck.size() == 1);
		only.close(Duration.ZERO);
		assertThat(only.details()).containsEntry("queued", 1).containsEntry("inFlight", 0);
		stuck.get(0).ack();
		assertThat(only.details()).containsEntry("queued", 0);
	}

	@Test
	void sendWithoutGroupsOnlyRetainsTheMessage() {
		SendResult first = this.adapter.send(TestMessages.message("audit", "a", 1)).join();
		SendResult second = this.adapter.send(TestMessages.message("audit", "a", 2)).join();
		assertThat(first.position()).isEqualTo("1");
		assertThat(second.position()).isEqualTo("2");
		assertThat(this.adapter.history("audit", 10)).extracting((message) -> message.messageId())
			.containsExactly("1", "2");
		assertThat(this.adapter.health().details()).containsEntry("queued", 0);
	}

	@Test
	void healthIsUpWithFiguresUntilClosed() {
		List<Delivery> neverSettled = new CopyOnWriteArrayList<>();
		this.adapter.subscribe(spec("orders", "billing", 1), neverSettled::add);
		this.adapter.send(TestMessages.message("orders", "a", 1)).join();
		this.adapter.send(TestMessages.message("orders", "a", 2)).join();
		await().atMost(TIMEOUT).until(() -> neverSettled.size() == 1);
		AdapterHealth health = this.adapter.health();
		assertThat(health.up()).isTrue();
		assertThat(health.details()).containsEntry("destinations", 1).containsEntry("queued", 1);
		this.adapter.close();
		assertThat(this.adapter.health().up()).isFalse();
		assertThat(this.adapter.health().details()).containsEntry("error", "adapter closed");
	}

	@Test
	void closeStopsSubscriptionsAndLaterSendsFail() {
		Subscription subscription = this.adapter.subscribe(spec("orders", "billing", 1), Delivery::ack);
		this.adapter.close();
		this.adapter.close();
		assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
		CompletableFuture<SendResult> afterClose = this.adapter.send(TestMessages.message("orders", "a", 1));
		assertThat(failureOf(afterClose)).isExactlyInstanceOf(PublishException.class)
			.hasMessageContaining("adapter closed");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.adapter.subscribe(spec("orders", "billing", 1), Delivery::ack))
			.withMessageContaining("adapter closed");
	}

	@Test
	void closeOfSubscriptionIsIdempotentAndStopsDeliveries() {
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		Subscription subscription = this.adapter.subscribe(spec("orders", "billing", 1), (delivery) -> {
			deliveries.add(delivery);
			delivery.ack();
		});
		subscription.close(Duration.ofSeconds(1));
		subscription.close(Duration.ofSeconds(1));
		assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
		this.adapter.send(TestMessages.message("orders", "a", 1)).join();
		assertThat(subscription.details()).containsEntry("queued", 1);
		assertThat(deliveries).isEmpty();
	}

	static SubscriptionSpec spec(String destination, String group, int concurrency) {
		return new SubscriptionSpec(destination, group, group + "-handler", concurrency, 3);
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		try {
			future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (Exception ex) {
			throw new AssertionError("Future did not fail", ex);
		}
		throw new AssertionError("Future completed normally");
	}

}
