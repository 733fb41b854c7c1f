package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settlements without Redis: one XACK on its way at a time, the ids acknowledged
 * meanwhile coalesced into the next, failures reported once per id, flushing waits for
 * every answer, and retries wait for their delay and are released with the delay they
 * have left.
 */
class StreamSettlementsTests {

	private final List<List<String>> sent = new CopyOnWriteArrayList<>();

	private final List<CompletableFuture<Long>> replies = new CopyOnWriteArrayList<>();

	private final Map<String, String> outcomes = new ConcurrentHashMap<>();

	private final StreamSettlements settlements = new StreamSettlements(this::xack, this::completed);

	private CompletionStage<?> xack(List<String> ids) {
		this.sent.add(List.copyOf(ids));
		CompletableFuture<Long> reply = new CompletableFuture<>();
		this.replies.add(reply);
		return reply;
	}

	private void completed(List<String> ids, @Nullable Throwable failure) {
		ids.forEach(
				(id) -> this.outcomes.merge(id, (failure != null) ? "failed" : "acked", (first, second) -> "twice"));
	}

	@Test
	void aLoneAcknowledgementIsSentAtOnce() {
		this.settlements.acknowledge("1-0");
		assertThat(this.sent).containsExactly(List.of("1-0"));
		this.replies.get(0).complete(1L);
		assertThat(this.outcomes).containsExactly(Map.entry("1-0", "acked"));
		assertThat(this.settlements.unanswered()).isZero();
	}

	@Test
	void acknowledgementsWhileOneIsOnItsWayGoTogetherInTheNextXack() {
		this.settlements.acknowledge("1-0");
		this.settlements.acknowledge("2-0");
		this.settlements.acknowledge("3-0");
		this.settlements.acknowledge("4-0");
		assertThat(this.sent).containsExactly(List.of("1-0"));
		assertThat(this.settlements.unanswered()).isEqualTo(4);
		this.replies.get(0).complete(1L);
		assertThat(this.sent).containsExactly(List.of("1-0"), List.of("2-0", "3-0", "4-0"));
		this.replies.get(1).complete(3L);
		assertThat(this.outcomes).containsOnlyKeys("1-0", "2-0", "3-0", "4-0").containsValue("acked");
		assertThat(this.settlements.unanswered()).isZero();
	}

	@Test
	void aFailedXackReportsItsIdsAndTheNextOneIsStillSent() {
		this.settlements.acknowledge("1-0");
		this.settlements.acknowledge("2-0");
		this.replies.get(0).completeExceptionally(new IllegalStateException("connection lost"));
		assertThat(this.outcomes).containsExactly(Map.entry("1-0", "failed"));
		assertThat(this.sent).containsExactly(List.of("1-0"), List.of("2-0"));
		this.replies.get(1).complete(1L);
		assertThat(this.outcomes).containsEntry("2-0", "acked");
	}

	@Test
	void anXackThatThrowsOrAnswersAtOnceIsReportedWithoutBlockingLaterOnes() {
		List<String> failures = new ArrayList<>();
		StreamSettlements immediate = new StreamSettlements((ids) -> {
			if (ids.contains("1-0")) {
				throw new IllegalStateException("not connected");
			}
			return CompletableFuture.completedFuture((long) ids.size());
		}, (ids, failure) -> {
			if (failure != null) {
				failures.addAll(ids);
			}
		});
		immediate.acknowledge("1-0");
		immediate.acknowledge("2-0");
		assertThat(failures).containsExactly("1-0");
		assertThat(immediate.unanswered()).isZero();
	}

	@Test
	void flushWaitsForEveryAnswer() throws InterruptedException {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			int count = 1_000;
			CountDownLatch acknowledged = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				String id = i + "-0";
				threads.execute(() -> {
					this.settlements.acknowledge(id);
					acknowledged.countDown();
				});
			}
			assertThat(acknowledged.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(this.settlements.flush(Duration.ofMillis(50))).isFalse();
			CompletableFuture<Boolean> flushed = CompletableFuture
				.supplyAsync(() -> this.settlements.flush(Duration.ofSeconds(10)));
			Awaits.await(Duration.ofSeconds(10), () -> {
				this.replies.forEach((reply) -> reply.complete(1L));
				return this.outcomes.size() == count;
			}, () -> this.outcomes.size() + " of " + count + " answered");
			assertThat(flushed.join()).isTrue();
			assertThat(this.outcomes).hasSize(count).doesNotContainValue("twice").doesNotContainValue("failed");
			assertThat(this.sent.size()).as("XACK commands for %d ids", count).isLessThan(count);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void retriesAreTakenOnceTheirDelayHasPassedFirstDueFirst() {
		this.settlements.retryLater("1-0", 2, Duration.ofMinutes(1));
		this.settlements.retryLater("2-0", 3, Duration.ZERO);
		this.settlements.retryLater("3-0", 2, Duration.ZERO);
		assertThat(this.settlements.waitingRetries()).isEqualTo(3);
		assertThat(this.settlements.untilNextRetry()).isLessThanOrEqualTo(Duration.ZERO);
		assertThat(this.settlements.takeDueRetries(10)).containsExactly(Map.entry("2-0", 3), Map.entry("3-0", 2));
		assertThat(this.settlements.takeDueRetries(10)).isEmpty();
		assertThat(this.settlements.untilNextRetry()).isBetween(Duration.ofSeconds(50), Duration.ofMinutes(1));
		assertThat(this.settlements.retryIds()).containsExactly("1-0");
	}

	@Test
	void takingEveryRetryGivesEachTheIdleTimeAfterWhichItsDelayHasPassed() {
		this.settlements.retryLater("1-0", 2, Duration.ofSeconds(10));
		this.settlements.retryLater("2-0", 2, Duration.ofMinutes(5));
		this.settlements.retryLater("3-0", 2, Duration.ZERO);
		Map<String, Duration> idle = this.settlements.takeAllRetries(Duration.ofSeconds(30));
		assertThat(idle).containsOnlyKeys("1-0", "2-0", "3-0")
			.containsEntry("2-0", Duration.ZERO)
			.containsEntry("3-0", Duration.ofSeconds(30));
		assertThat(idle.get("1-0")).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(21));
		assertThat(this.settlements.waitingRetries()).isZero();
	}

}
