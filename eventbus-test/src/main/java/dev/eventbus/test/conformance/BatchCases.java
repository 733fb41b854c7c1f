package dev.eventbus.test.conformance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToLongBiFunction;

import dev.eventbus.api.BatchResult;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.conformance.SettlementRecordingAdapter.Settlement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 17 and 18 and a whole-batch failure, through the runtime: a batch
 * handler's items are settled on their own, failed items are retried and dead-lettered on
 * their own, and a retried item holds back the later items of its subject only.
 */
final class BatchCases {

	private static final String DEAD_LETTER_SUFFIX = ".dlq";

	private final ConformanceHarness harness;

	BatchCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	/**
	 * Case 17: 10 events with items 3 and 7 failing.
	 * @param leftAtBroker messages of a destination and broker-side group that the broker
	 * still holds unsettled, or -1 when the adapter cannot tell
	 */
	void partialFailure(ToLongBiFunction<String, String> leftAtBroker) {
		String destination = this.harness.destination("batch-partial");
		List<EncodedMessage> deadLetters = readDeadLetters(destination);
		SettlementRecordingAdapter adapter = new SettlementRecordingAdapter(this.harness.adapter(),
				this.harness.codec());
		FailsThreeAndSeven handler = new FailsThreeAndSeven();
		EventBus bus = this.harness.startBus(adapter, destination, handler);
		String group = bus.subscriptions().get(0).group();
		for (int n = 0; n < 10; n++) {
			bus.publisher().publish(EventMessage.of("order.created", Map.of("n", n)).subject("order-" + n).build());
		}
		Awaits.await(this.harness.receiveTimeout(), () -> deadLetters.size() >= 2,
				() -> "dead letters so far: " + deadLetters.size() + "; calls: " + handler.calls);
		Awaits.await(this.harness.receiveTimeout(), () -> settledOnce(adapter, 10),
				() -> "settlements so far: " + adapter.allSettlements());
		for (int n = 0; n < 10; n++) {
			assertThat(handler.calls.get(n)).as("calls of item %d", n).isEqualTo((n == 3 || n == 7) ? 3 : 1);
		}
		assertThat(deadLetters).hasSize(2);
		assertThat(deadLetters).extracting((deadLetter) -> deadLetter.headers().get(FailureHeaders.HANDLER))
			.containsOnly("batch-partial");
		assertThat(deadLetters).extracting((deadLetter) -> deadLetter.headers().get(FailureHeaders.ATTEMPTS))
			.containsOnly("3");
		assertThat(deadLetters).extracting((deadLetter) -> handler.numberOf(deadLetter)).containsOnly(3, 7);
		for (List<Settlement> settlements : adapter.allSettlements()) {
			int n = handler.numberOf(settlements.get(0).eventId());
			assertThat(settlements).as("settlements of item %d", n)
				.extracting(Settlement::acknowledged)
				.containsExactlyElementsOf((n == 3 || n == 7) ? List.of(false, false, true) : List.of(true));
		}
		long left = leftAtBroker.applyAsLong(destination, group);
		if (left >= 0) {
			Awaits.await(this.harness.receiveTimeout(), () -> leftAtBroker.applyAsLong(destination, group) == 0,
					() -> "messages the broker still holds for group " + group + ": "
							+ leftAtBroker.applyAsLong(destination, group));
		}
	}

	/**
	 * Case 18: with ordering per subject, a retried item holds back the later items of
	 * its subject only.
	 */
	void orderedHoldBack() {
		String destination = this.harness.destination("batch-ordered");
		Ordered handler = new Ordered();
		EventBus bus = this.harness.startBus(this.harness.adapter(), destination, handler);
		for (int n = 0; n < 6; n++) {
			bus.publisher()
				.publish(EventMessage.of("order.updated", Map.of("n", n)).subject((n % 2 == 0) ? "a" : "b").build());
		}
		Awaits.await(this.harness.receiveTimeout(),
				() -> handler.lastOf("a") == 4 && handler.of("a").size() >= 4 && handler.of("b").size() >= 3,
				() -> "handled so far: " + handler.handled);
		assertThat(handler.of("b")).as("subject b is not held back: each handled once, in order")
			.containsExactly(1, 3, 5);
		List<Integer> a = handler.of("a");
		assertThat(a.subList(0, 2)).as("subject a, first handlings").containsExactly(0, 2);
		assertThat(a.subList(a.size() - 2, a.size())).as("a:4 handled again after a:2's retry").containsExactly(2, 4);
		assertThat(a).as("a:0, before the failure, is not held back").containsOnlyOnce(0);
	}

	/**
	 * A batch handler that throws: every item is retried and dead-lettered on its own.
	 */
	void wholeBatchFailure() {
		String destination = this.harness.destination("batch-whole");
		List<EncodedMessage> deadLetters = readDeadLetters(destination);
		AlwaysThrows handler = new AlwaysThrows();
		EventBus bus = this.harness.startBus(this.harness.adapter(), destination, handler);
		for (int n = 0; n < 3; n++) {
			bus.publisher().publish(EventMessage.of("order.created", Map.of("n", n)).subject("order-" + n).build());
		}
		Awaits.await(this.harness.receiveTimeout(), () -> deadLetters.size() >= 3,
				() -> "dead letters so far: " + deadLetters.size() + "; items handled: " + handler.received);
		assertThat(deadLetters).hasSize(3);
		assertThat(deadLetters).extracting((deadLetter) -> deadLetter.headers().get(FailureHeaders.ATTEMPTS))
			.containsOnly("3");
		assertThat(deadLetters).extracting((deadLetter) -> deadLetter.headers().get(FailureHeaders.MESSAGE))
			.containsOnly(AlwaysThrows.MESSAGE);
		assertThat(handler.received).hasSize(9);
	}

	private static boolean settledOnce(SettlementRecordingAdapter adapter, int messages) {
		return adapter.allSettlements().size() == messages && adapter.allSettlements()
			.stream()
			.allMatch((settlements) -> settlements.get(settlements.size() - 1).acknowledged());
	}

	private List<EncodedMessage> readDeadLetters(String destination) {
		List<EncodedMessage> messages = new CopyOnWriteArrayList<>();
		this.harness.subscribe(this.harness.adapter(), destination + DEAD_LETTER_SUFFIX,
				this.harness.group("dead-letter-reader"), 1, (delivery) -> {
					messages.add(new EncodedMessage(delivery.headers(), delivery.body()));
					delivery.ack();
				});
		return messages;
	}

	/**
	 * Fails the items whose number is 3 or 7, every time.
	 */
	final class FailsThreeAndSeven {

		final Map<Integer, Integer> calls = new ConcurrentHashMap<>();

		private final Map<String, Integer> numbers = new ConcurrentHashMap<>();

		@EventHandler(id = "batch-partial", types = "order.*", destinations = ConformanceHandlers.DESTINATION,
				maxBatchSize = 10, maxBatchWait = "500ms")
		BatchResult on(List<Event<Map<String, Object>>> events) {
			Map<Integer, Throwable> failures = new HashMap<>();
			for (int i = 0; i < events.size(); i++) {
				int n = ((Number) events.get(i).payload().get("n")).intValue();
				this.numbers.put(events.get(i).id(), n);
				this.calls.merge(n, 1, Integer::sum);
				if (n == 3 || n == 7) {
					failures.put(i, new IllegalStateException("item " + n + " failed"));
				}
			}
			return BatchResult.failed(failures);
		}

		int numberOf(EncodedMessage deadLetter) {
			return numberOf(
					BatchCases.this.harness.codec().decode(deadLetter.headers(), deadLetter.body(), "test").id());
		}

		int numberOf(String eventId) {
			return this.numbers.getOrDefault(eventId, -1);
		}

	}

	/**
	 * Fails the item numbered 2 once, and records what it handled per subject.
	 */
	static final class Ordered {

		final Map<String, List<Integer>> handled = new ConcurrentHashMap<>();

		private boolean failed;

		@EventHandler(id = "batch-ordered", types = "order.*", destinations = ConformanceHandlers.DESTINATION,
				maxBatchSize = 6, maxBatchWait = "500ms")
		synchronized BatchResult on(List<Event<Map<String, Object>>> events) {
			Map<Integer, Throwable> failures = new HashMap<>();
			for (int i = 0; i < events.size(); i++) {
				Event<Map<String, Object>> event = events.get(i);
				int n = ((Number) event.payload().get("n")).intValue();
				this.handled.computeIfAbsent(event.subject(), (key) -> new CopyOnWriteArrayList<>()).add(n);
				if (n == 2 && !this.failed) {
					this.failed = true;
					failures.put(i, new IllegalStateException("a:2 fails once"));
				}
			}
			return BatchResult.failed(failures);
		}

		List<Integer> of(String subject) {
			return List.copyOf(this.handled.getOrDefault(subject, List.of()));
		}

		int lastOf(String subject) {
			List<Integer> numbers = of(subject);
			return numbers.isEmpty() ? -1 : numbers.get(numbers.size() - 1);
		}

	}

	/**
	 * Throws for every batch.
	 */
	static final class AlwaysThrows {

		static final String MESSAGE = "the whole batch failed";

		final List<String> received = new CopyOnWriteArrayList<>();

		@EventHandler(id = "batch-whole", types = "order.*", destinations = ConformanceHandlers.DESTINATION,
				maxBatchSize = 10, maxBatchWait = "200ms")
		void on(List<Event<Map<String, Object>>> events) {
			events.forEach((event) -> this.received.add(event.id()));
			throw new IllegalStateException(MESSAGE);
		}

	}

}
