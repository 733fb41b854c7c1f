package dev.eventbus.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.BatchItemFailedException;
import dev.eventbus.api.BatchResult;
import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventHeader;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of batch handlers on the in-memory adapter: per-item failures, a whole batch
 * failing, a handler that stops at an item, order per subject, and batch forming.
 */
class BatchHandlerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	private final EventBus bus = EventBus.builder()
		.adapter(this.adapter)
		.source("urn:test")
		.defaultGroup("tests")
		.handlerDefaults(HandlerDefaults.DEFAULTS
			.withRetry(new RetrySettings(2, Duration.ofMillis(20), 1.0, Duration.ofMillis(20), Duration.ZERO)))
		.build();

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void failedItemsAreRetriedThenDeadLetteredWhileTheOthersAreHandledOnce() {
		FailsThreeAndSeven handler = start(new FailsThreeAndSeven());
		publish(10, (n) -> "s-" + n);
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 2);
		assertThat(handler.calls).as("the 8 others, each handled once").containsOnlyKeys(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		for (int n = 0; n < 10; n++) {
			assertThat(handler.calls.get(n)).as("calls of item %d", n).isEqualTo((n == 3 || n == 7) ? 3 : 1);
		}
		List<DeadLetter> deadLetters = this.bus.deadLetters().list("events", 10);
		assertThat(deadLetters).extracting(DeadLetter::handler).containsOnly("fails-three-and-seven");
		assertThat(deadLetters).extracting(DeadLetter::attempts).containsOnly(3);
		assertThat(deadLetters).extracting((deadLetter) -> deadLetter.message())
			.allSatisfy((message) -> assertThat(message).contains("item failed"));
		EventBusStatistics statistics = this.bus.statistics();
		assertThat(statistics.count("fails-three-and-seven", Counter.HANDLED)).isEqualTo(8);
		assertThat(statistics.count("fails-three-and-seven", Counter.FAILED)).isEqualTo(6);
		assertThat(statistics.count("fails-three-and-seven", Counter.DEAD_LETTERED)).isEqualTo(2);
		assertThat(statistics.count("fails-three-and-seven", Counter.BATCHES)).isBetween(3L, 10L);
	}

	@Test
	void aBatchThatThrowsFailsEveryItem() {
		AlwaysThrows handler = start(new AlwaysThrows());
		publish(4, (n) -> "s-" + n);
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 4);
		assertThat(handler.received).hasSize(12);
		assertThat(this.bus.deadLetters().list("events", 10)).extracting(DeadLetter::attempts).containsOnly(3);
	}

	@Test
	void itemsAfterTheOneAHandlerStoppedAtComeBackWithoutCountingAnAttempt() {
		StopsAtTwo handler = start(new StopsAtTwo());
		publish(5, (n) -> "s-" + n);
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		await().atMost(WAIT).until(() -> handler.succeeded.size() == 4);
		assertThat(handler.succeeded).containsExactlyInAnyOrder(0, 1, 3, 4);
		assertThat(this.bus.deadLetters().list("events", 10).get(0).attempts()).isEqualTo(3);
		assertThat(this.bus.statistics().count("stops-at-two", Counter.DEAD_LETTERED)).isEqualTo(1);
	}

	@Test
	void aRetriedItemHoldsBackTheLaterItemsOfItsSubjectOnly() {
		Ordered handler = start(new Ordered());
		publish(6, (n) -> (n % 2 == 0) ? "a" : "b");
		await().atMost(WAIT)
			.until(() -> handler.of("a").size() >= 4 && handler.of("a").get(handler.of("a").size() - 1) == 4);
		assertThat(handler.of("b")).as("subject b is not held back: each handled once").containsExactly(1, 3, 5);
		List<Integer> a = handler.of("a");
		assertThat(a.subList(0, 2)).containsExactly(0, 2);
		assertThat(a.subList(a.size() - 2, a.size())).as("a:4 came again after a:2's retry").containsExactly(2, 4);
		assertThat(a).as("a:0 is not held back").containsOnlyOnce(0);
	}

	@Test
	void batchesHoldAtMostTheirSizeAndAPartialOneLeavesAfterItsWait() {
		Sizes handler = start(new Sizes());
		publish(25, (n) -> "s-" + n);
		await().atMost(WAIT).until(() -> handler.sizes.stream().mapToInt(Integer::intValue).sum() == 25);
		assertThat(handler.sizes).allSatisfy((size) -> assertThat(size).isBetween(1, 10));
		assertThat(handler.sizes).as("a batch filled up").contains(10);
		assertThat(this.bus.subscriptions()).singleElement()
			.satisfies((subscription) -> assertThat(subscription.group()).isEqualTo("tests.sizes"));
	}

	@Test
	void batchHandlerThatTakesHeadersIsRejected() {
		assertThatExceptionOfType(InvalidEventHandlerException.class)
			.isThrownBy(() -> this.bus.registerHandlers("bad", new WithHeader()))
			.withMessageContaining("without @EventHeader");
	}

	@Test
	void batchHandlerThatReturnsSomethingElseIsRejected() {
		assertThatExceptionOfType(InvalidEventHandlerException.class)
			.isThrownBy(() -> this.bus.registerHandlers("bad", new ReturnsString()))
			.withMessageContaining("returns void or BatchResult, not String");
	}

	@Test
	void batchSizeOnAHandlerOfOneEventIsRejected() {
		assertThatExceptionOfType(InvalidEventHandlerException.class)
			.isThrownBy(() -> this.bus.registerHandlers("bad", new SizeWithoutBatch()))
			.withMessageContaining("apply to batch handlers only");
	}

	private <T> T start(T handler) {
		this.bus.registerHandlers("handler", handler);
		this.bus.start();
		return handler;
	}

	private void publish(int count, java.util.function.IntFunction<String> subject) {
		for (int n = 0; n < count; n++) {
			this.bus.publisher().publish(EventMessage.of("job.done", Map.of("n", n)).subject(subject.apply(n)).build());
		}
	}

	record Job(int n) {
	}

	static class FailsThreeAndSeven {

		final Map<Integer, Integer> calls = new ConcurrentHashMap<>();

		@EventHandler(id = "fails-three-and-seven", types = "job.done", maxBatchSize = 4, maxBatchWait = "20ms")
		BatchResult on(List<Job> jobs) {
			Map<Integer, Throwable> failures = new HashMap<>();
			for (int i = 0; i < jobs.size(); i++) {
				int n = jobs.get(i).n();
				this.calls.merge(n, 1, Integer::sum);
				if (n == 3 || n == 7) {
					failures.put(i, new IllegalStateException("item failed: " + n));
				}
			}
			return BatchResult.failed(failures);
		}

	}

	static class AlwaysThrows {

		final List<Integer> received = new CopyOnWriteArrayList<>();

		@EventHandler(id = "always-throws", types = "job.done", maxBatchSize = 10, maxBatchWait = "20ms")
		void on(List<Event<Job>> events) {
			events.forEach((event) -> this.received.add(event.payload().n()));
			throw new IllegalStateException("the whole batch failed");
		}

	}

	static class StopsAtTwo {

		final List<Integer> succeeded = new CopyOnWriteArrayList<>();

		@EventHandler(id = "stops-at-two", types = "job.done", maxBatchSize = 5, maxBatchWait = "50ms")
		void on(List<Job> jobs) {
			for (int i = 0; i < jobs.size(); i++) {
				if (jobs.get(i).n() == 2) {
					throw new BatchItemFailedException(i, new IllegalStateException("job 2 cannot be done"));
				}
				this.succeeded.add(jobs.get(i).n());
			}
		}

	}

	static class Ordered {

		final Map<String, List<Integer>> handled = new ConcurrentHashMap<>();

		private boolean failed;

		@EventHandler(id = "ordered", types = "job.done", maxBatchSize = 6, maxBatchWait = "50ms")
		synchronized BatchResult on(List<Event<Job>> events) {
			Map<Integer, Throwable> failures = new HashMap<>();
			for (int i = 0; i < events.size(); i++) {
				Event<Job> event = events.get(i);
				this.handled.computeIfAbsent(event.subject(), (key) -> new CopyOnWriteArrayList<>())
					.add(event.payload().n());
				if (event.payload().n() == 2 && !this.failed) {
					this.failed = true;
					failures.put(i, new IllegalStateException("a:2 fails once"));
				}
			}
			return BatchResult.failed(failures);
		}

		List<Integer> of(String subject) {
			return List.copyOf(this.handled.getOrDefault(subject, List.of()));
		}

	}

	static class Sizes {

		final List<Integer> sizes = new CopyOnWriteArrayList<>();

		@EventHandler(id = "sizes", types = "job.done", maxBatchSize = 10, maxBatchWait = "50ms")
		void on(List<Job> jobs) {
			this.sizes.add(jobs.size());
		}

	}

	static class WithHeader {

		@EventHandler(types = "job.done")
		void on(@EventHeader("tenant") List<String> tenants) {
		}

	}

	static class ReturnsString {

		@EventHandler(types = "job.done")
		String on(List<Job> jobs) {
			return "";
		}

	}

	static class SizeWithoutBatch {

		@EventHandler(types = "job.done", maxBatchSize = 5)
		void on(Job job) {
		}

	}

}
