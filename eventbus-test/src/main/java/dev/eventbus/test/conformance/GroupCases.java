package dev.eventbus.test.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import dev.eventbus.api.Event;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 8, 10, 14 and 15: ordering per subject, consumer groups, crash
 * recovery and broker restart. Subscriptions are opened before publishing.
 */
final class GroupCases {

	private final ConformanceHarness harness;

	GroupCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	void orderingPerSubject() {
		String destination = this.harness.destination("ordering");
		int subjects = 16;
		ConcurrentMap<String, List<Integer>> order = new ConcurrentHashMap<>();
		ConcurrentMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
		Set<String> overlapping = ConcurrentHashMap.newKeySet();
		EventRecorder recorder = new EventRecorder();
		CountDownLatch published = new CountDownLatch(1);
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("ordering"), 4, (delivery) -> {
			awaitLatch(published);
			Event<?> event = this.harness.decode(delivery);
			AtomicInteger inSubject = running.computeIfAbsent(event.subject(), (key) -> new AtomicInteger());
			if (inSubject.incrementAndGet() > 1) {
				overlapping.add(event.subject());
			}
			order.computeIfAbsent(event.subject(), (key) -> new CopyOnWriteArrayList<>())
				.add(this.harness.sequence(event));
			recorder.record(event);
			inSubject.decrementAndGet();
			delivery.ack();
		});
		List<String> ids = new ArrayList<>();
		try {
			for (int i = 0; i < 1_000; i++) {
				Event<Map<String, Object>> event = this.harness.event("subject-" + (i % subjects), i / subjects);
				this.harness.publish(this.harness.adapter(), destination, event);
				ids.add(event.id());
			}
		}
		finally {
			published.countDown();
		}
		this.harness.awaitIds("ordering per subject", recorder, ids, this.harness.receiveTimeout());
		ConformanceHarness.assertSameIds("ordering per subject", ids, recorder.ids());
		assertThat(overlapping).as("subjects delivered concurrently").isEmpty();
		for (Map.Entry<String, List<Integer>> subject : order.entrySet()) {
			List<Integer> firstSeen = new ArrayList<>();
			for (Integer sequence : subject.getValue()) {
				if (!firstSeen.contains(sequence)) {
					firstSeen.add(sequence);
				}
			}
			List<Integer> sorted = new ArrayList<>(firstSeen);
			Collections.sort(sorted);
			assertThat(firstSeen).as("order of first deliveries of " + subject.getKey()).isEqualTo(sorted);
		}
	}

	private void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(this.harness.receiveTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void consumerGroups() {
		String destination = this.harness.destination("groups");
		String groupA = this.harness.group("group-a");
		String groupB = this.harness.group("group-b");
		EventRecorder a = new EventRecorder();
		EventRecorder b = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, groupA, 2, this.harness.recording(a));
		this.harness.subscribe(this.harness.newInstance(), destination, groupA, 2, this.harness.recording(a));
		this.harness.subscribe(this.harness.adapter(), destination, groupB, 2, this.harness.recording(b));
		List<Event<Map<String, Object>>> events = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			events.add(this.harness.event("subject-" + (i % 25), i));
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, events);
		this.harness.awaitIds("group A", a, ids, this.harness.receiveTimeout());
		this.harness.awaitIds("group B", b, ids, this.harness.receiveTimeout());
		ConformanceHarness.assertSameIds("group A", ids, a.ids());
		ConformanceHarness.assertSameIds("group B", ids, b.ids());
		assertThat(duplicates(a)).as("events handled twice by group A without any failure").isEmpty();
		assertThat(duplicates(b)).as("events handled twice by group B without any failure").isEmpty();
	}

	private static List<String> duplicates(EventRecorder recorder) {
		Map<String, Integer> counts = new HashMap<>();
		recorder.events().forEach((event) -> counts.merge(event.id(), 1, Integer::sum));
		return counts.entrySet().stream().filter((entry) -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
	}

	void crashRecovery(BiConsumer<EventBusAdapter, Subscription> crash, Duration redeliveryTimeout) {
		String destination = this.harness.destination("crash");
		String group = this.harness.group("crash");
		EventBusAdapter doomed = this.harness.newInstance();
		CountDownLatch received = new CountDownLatch(1);
		CountDownLatch hold = new CountDownLatch(1);
		Subscription dying = this.harness.subscribe(doomed, destination, group, 1, (delivery) -> {
			received.countDown();
			try {
				hold.await(this.harness.receiveTimeout().plus(redeliveryTimeout).toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Event<Map<String, Object>> event = this.harness.event("subject-crash", 1);
		this.harness.publish(this.harness.adapter(), destination, event);
		try {
			Awaits.await(this.harness.receiveTimeout(), () -> received.getCount() == 0,
					"The consumer about to crash never got the event");
			EventRecorder survivor = new EventRecorder();
			this.harness.subscribe(this.harness.adapter(), destination, group, 1, this.harness.recording(survivor));
			crash.accept(doomed, dying);
			this.harness.awaitIds("event left unacknowledged by a crashed consumer", survivor, List.of(event.id()),
					redeliveryTimeout);
			Event<Map<String, Object>> later = this.harness.event("subject-crash", 2);
			this.harness.publish(this.harness.adapter(), destination, later);
			this.harness.awaitIds("event published after the crash", survivor, List.of(later.id()),
					this.harness.receiveTimeout());
		}
		finally {
			hold.countDown();
		}
	}

	void brokerRestart(Runnable restartBroker, Duration redeliveryTimeout) {
		String destination = this.harness.destination("restart");
		EventRecorder recorder = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("restart"), 4,
				this.harness.recording(recorder));
		List<String> acknowledged = new CopyOnWriteArrayList<>();
		List<String> attempted = new CopyOnWriteArrayList<>();
		AtomicInteger failedSends = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
			for (int i = 0; !stop.get(); i++) {
				Event<Map<String, Object>> event = this.harness.event("subject-" + (i % 10), i);
				attempted.add(event.id());
				try {
					this.harness.adapter()
						.send(this.harness.message(destination, event))
						.get(redeliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
					acknowledged.add(event.id());
				}
				catch (Exception ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
						return;
					}
					failedSends.incrementAndGet();
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
				}
			}
		});
		try {
			Awaits.await(this.harness.receiveTimeout(), () -> acknowledged.size() >= 100,
					() -> "Only " + acknowledged.size() + " events acknowledged before the restart");
			restartBroker.run();
			int afterRestart = acknowledged.size() + 100;
			Awaits.await(this.harness.receiveTimeout().plus(redeliveryTimeout),
					() -> acknowledged.size() >= afterRestart, () -> "Publishing did not resume after the restart: "
							+ acknowledged.size() + " acknowledged, " + failedSends.get() + " sends failed");
		}
		finally {
			stop.set(true);
		}
		this.harness.await(publishing, "background publisher");
		List<String> ids = List.copyOf(acknowledged);
		this.harness.awaitIds("events acknowledged around a broker restart", recorder, ids,
				this.harness.receiveTimeout().plus(redeliveryTimeout));
		ConformanceHarness.assertReceived("events acknowledged around a broker restart", ids, attempted,
				recorder.ids());
	}

}
