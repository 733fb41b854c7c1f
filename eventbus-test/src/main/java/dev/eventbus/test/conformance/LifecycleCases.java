package dev.eventbus.test.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 6, 7, 9 and 16: resume after close, concurrent close, close flushes
 * and graceful shutdown. Subscriptions are opened before publishing, so the group exists
 * and holds the events on adapters that are not persistent.
 */
final class LifecycleCases {

	private final ConformanceHarness harness;

	LifecycleCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	/**
	 * Consumers opened and closed in turn each acknowledge a batch; with
	 * {@code leaveUnsettled} each also leaves the deliveries past its batch unsettled,
	 * which the next consumer must get.
	 * @param leaveUnsettled whether consumers leave deliveries past their batch unsettled
	 * @param redeliveryTimeout how long unsettled deliveries may take to come back
	 */
	void resumeAfterClose(boolean leaveUnsettled, Duration redeliveryTimeout) {
		String destination = this.harness.destination("resume");
		String group = this.harness.group("resume");
		int batch = 1_000;
		EventRecorder recorder = new EventRecorder();
		BatchConsumer consumer = new BatchConsumer(destination, group, batch, leaveUnsettled, recorder);
		List<Event<Map<String, Object>>> events = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			events.add(this.harness.event("subject-" + (i % 50), i));
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, events);
		Duration roundTimeout = this.harness.receiveTimeout().plus(redeliveryTimeout);
		for (int round = 1; !recorder.ids().containsAll(ids); round++) {
			if (round > 20) {
				throw new AssertionError(
						"Not every event was read after 20 consumers: " + recorder.ids().size() + " of " + ids.size());
			}
			BatchConsumer current = consumer;
			Awaits.await(roundTimeout, () -> current.handled() >= batch || recorder.ids().containsAll(ids),
					() -> "Consumer " + current + " read only " + current.handled() + " events; "
							+ recorder.ids().size() + " of " + ids.size() + " read so far");
			consumer.close();
			if (!recorder.ids().containsAll(ids)) {
				consumer = new BatchConsumer(destination, group, batch, leaveUnsettled, recorder);
			}
		}
		ConformanceHarness.assertSameIds("consumers opened and closed in turn", ids, recorder.ids());
	}

	private final class BatchConsumer {

		private final AtomicInteger delivered = new AtomicInteger();

		private final int batch;

		private final EventBusAdapter instance;

		private final Subscription subscription;

		BatchConsumer(String destination, String group, int batch, boolean leaveUnsettled, EventRecorder recorder) {
			this.batch = batch;
			this.instance = LifecycleCases.this.harness.newInstance();
			DeliveryListener recording = LifecycleCases.this.harness.recording(recorder);
			this.subscription = LifecycleCases.this.harness.subscribe(this.instance, destination, group, 4,
					(delivery) -> {
						if (this.delivered.incrementAndGet() <= batch || !leaveUnsettled) {
							recording.onDelivery(delivery);
						}
					});
		}

		int handled() {
			return Math.min(this.delivered.get(), this.batch);
		}

		void close() {
			this.subscription.close(Duration.ofMillis(100));
			this.instance.close();
		}

	}

	void concurrentClose() throws InterruptedException {
		String destination = this.harness.destination("concurrent-close");
		String group = this.harness.group("concurrent-close");
		EventRecorder before = new EventRecorder();
		List<Subscription> subscriptions = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			subscriptions.add(this.harness.subscribe(this.harness.adapter(), destination, group, 2,
					this.harness.recording(before)));
		}
		List<Event<Map<String, Object>>> oldEvents = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			oldEvents.add(this.harness.event("subject-" + (i % 10), i));
		}
		List<String> oldIds = this.harness.publishAll(this.harness.adapter(), destination, oldEvents);
		ExecutorService closers = Executors.newFixedThreadPool(subscriptions.size());
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<Void>> closes = new ArrayList<>();
			for (Subscription subscription : subscriptions) {
				closes.add(CompletableFuture.runAsync(() -> {
					awaitLatch(start);
					subscription.close(Duration.ofSeconds(5));
				}, closers));
			}
			start.countDown();
			this.harness.await(CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)),
					"closing 10 subscriptions at once");
		}
		finally {
			closers.shutdownNow();
		}
		assertThat(subscriptions).extracting(Subscription::state).containsOnly(SubscriptionState.STOPPED);
		EventRecorder after = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, group, 2, this.harness.recording(after));
		List<Event<Map<String, Object>>> newEvents = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			newEvents.add(this.harness.event("subject-" + (i % 10), i));
		}
		List<String> newIds = this.harness.publishAll(this.harness.adapter(), destination, newEvents);
		this.harness.awaitIds("new subscription after concurrent close", after, newIds, this.harness.receiveTimeout());
		Set<String> allowed = new LinkedHashSet<>(oldIds);
		allowed.addAll(newIds);
		ConformanceHarness.assertReceived("new subscription after concurrent close", newIds, allowed, after.ids());
	}

	void closeFlushes() {
		String destination = this.harness.destination("close-flushes");
		EventRecorder recorder = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("close-flushes"), 4,
				this.harness.recording(recorder));
		EventBusAdapter publisher = this.harness.newInstance();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<StartedSend> sends = new ArrayList<>();
		try {
			List<CompletableFuture<List<StartedSend>>> publishers = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				String subject = "publisher-" + thread + "-";
				publishers.add(CompletableFuture.supplyAsync(() -> {
					List<StartedSend> started = new ArrayList<>();
					for (int i = 0; i < 2_500; i++) {
						Event<Map<String, Object>> event = this.harness.event(subject + (i % 10), i);
						CompletableFuture<SendResult> send = publisher.send(this.harness.message(destination, event));
						started.add(new StartedSend(event.id(), send));
					}
					return started;
				}, threads));
			}
			for (CompletableFuture<List<StartedSend>> started : publishers) {
				sends.addAll(this.harness.await(started, "asynchronous publishing"));
			}
		}
		finally {
			threads.shutdownNow();
		}
		publisher.close();
		List<String> ids = new ArrayList<>();
		for (StartedSend send : sends) {
			this.harness.await(send.result(), "asynchronous publish of " + send.id() + " before close");
			ids.add(send.id());
		}
		this.harness.awaitIds("events published right before close", recorder, ids, this.harness.receiveTimeout());
		ConformanceHarness.assertSameIds("events published right before close", ids, recorder.ids());
	}

	private record StartedSend(String id, CompletableFuture<SendResult> result) {
	}

	/**
	 * Close a subscription while its handlers run; with {@code groupKeepsPlace} a new
	 * member of the group must then get exactly the events not acknowledged before the
	 * close.
	 * @param groupKeepsPlace whether the group keeps its events while it has no member
	 */
	void gracefulShutdown(boolean groupKeepsPlace) {
		String destination = this.harness.destination("graceful");
		String group = this.harness.group("graceful");
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger started = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		EventRecorder acknowledged = new EventRecorder();
		Subscription subscription = this.harness.subscribe(this.harness.adapter(), destination, group, 4,
				(delivery) -> {
					started.incrementAndGet();
					Event<?> event = this.harness.decode(delivery);
					awaitLatch(release);
					acknowledged.record(event);
					completed.incrementAndGet();
					delivery.ack();
				});
		List<Event<Map<String, Object>>> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			events.add(this.harness.event("subject-" + i, i));
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, events);
		Awaits.await(this.harness.receiveTimeout(), () -> started.get() >= 1, "No handler started");
		int[] atClose = new int[2];
		CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
			subscription.close(Duration.ofSeconds(10));
			atClose[0] = started.get();
			atClose[1] = completed.get();
		});
		Awaits.await(this.harness.receiveTimeout(), () -> subscription.state() == SubscriptionState.STOPPING,
				() -> "Subscription is " + subscription.state() + " while closing with handlers running");
		assertThat(closing).as("close returned while handlers were still running").isNotDone();
		release.countDown();
		this.harness.await(closing, "close with in-flight handlers");
		assertThat(subscription.state()).isEqualTo(SubscriptionState.STOPPED);
		assertThat(atClose[1]).as("handlers completed when close returned").isEqualTo(atClose[0]).isPositive();
		if (!groupKeepsPlace) {
			return;
		}
		Set<String> handled = acknowledged.ids();
		Set<String> rest = new LinkedHashSet<>(ids);
		rest.removeAll(handled);
		EventRecorder next = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, group, 4, this.harness.recording(next));
		this.harness.awaitIds("events not handled before shutdown", next, rest, this.harness.receiveTimeout());
		ConformanceHarness.assertSameIds("events not handled before shutdown", rest, next.ids());
	}

	private void awaitLatch(CountDownLatch latch) {
		try {
			if (!latch.await(this.harness.receiveTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Latch not released within " + this.harness.receiveTimeout());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
