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

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acknowledger without Redis: one XACK on its way at a time, the ids acknowledged meanwhile
 * coalesced into the next, failures reported once per id, and flushing waits for every answer.
 */
class StreamAcknowledgerTests {

	private final List<List<String>> sent = new CopyOnWriteArrayList<>();

	private final List<CompletableFuture<Long>> replies = new CopyOnWriteArrayList<>();

	private final Map<String, String> outcomes = new ConcurrentHashMap<>();

	private final StreamAcknowledger acknowledger = new StreamAcknowledger(this::xack, this::completed);

	private CompletionStage<?> xack(List<String> ids) {
		this.sent.add(List.copyOf(ids));
		CompletableFuture<Long> reply = new CompletableFuture<>();
		this.replies.add(reply);
		return reply;
	}

	private void completed(List<String> ids, @Nullable Throwable failure) {
		ids.forEach((id) -> this.outcomes.merge(id, (failure != null) ? "failed" : "acked", (first, second) -> "twice"));
	}

	@Test
	void aLoneAcknowledgementIsSentAtOnce() {
		this.acknowledger.acknowledge("1-0");
		assertThat(this.sent).containsExactly(List.of("1-0"));
		this.replies.get(0).complete(1L);
		assertThat(this.outcomes).containsExactly(Map.entry("1-0", "acked"));
		assertThat(this.acknowledger.unanswered()).isZero();
	}

	@Test
	void acknowledgementsWhileOneIsOnItsWayGoTogetherInTheNextXack() {
		this.acknowledger.acknowledge("1-0");
		this.acknowledger.acknowledge("2-0");
		this.acknowledger.acknowledge("3-0");
		this.acknowledger.acknowledge("4-0");
		assertThat(this.sent).containsExactly(List.of("1-0"));
		assertThat(this.acknowledger.unanswered()).isEqualTo(4);
		this.replies.get(0).complete(1L);
		assertThat(this.sent).containsExactly(List.of("1-0"), List.of("2-0", "3-0", "4-0"));
		this.replies.get(1).complete(3L);
		assertThat(this.outcomes).containsOnlyKeys("1-0", "2-0", "3-0", "4-0").containsValue("acked");
		assertThat(this.acknowledger.unanswered()).isZero();
	}

	@Test
	void aFailedXackReportsItsIdsAndTheNextOneIsStillSent() {
		this.acknowledger.acknowledge("1-0");
		this.acknowledger.acknowledge("2-0");
		this.replies.get(0).completeExceptionally(new IllegalStateException("connection lost"));
		assertThat(this.outcomes).containsExactly(Map.entry("1-0", "failed"));
		assertThat(this.sent).containsExactly(List.of("1-0"), List.of("2-0"));
		this.replies.get(1).complete(1L);
		assertThat(this.outcomes).containsEntry("2-0", "acked");
	}

	@Test
	void anXackThatThrowsOrAnswersAtOnceIsReportedWithoutBlockingLaterOnes() {
		List<String> failures = new ArrayList<>();
		StreamAcknowledger immediate = new StreamAcknowledger((ids) -> {
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
					this.acknowledger.acknowledge(id);
					acknowledged.countDown();
				});
			}
			assertThat(acknowledged.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(this.acknowledger.flush(Duration.ofMillis(50))).isFalse();
			CompletableFuture<Boolean> flushed = CompletableFuture
				.supplyAsync(() -> this.acknowledger.flush(Duration.ofSeconds(10)));
			while (this.outcomes.size() < count) {
				int answered = 0;
				for (CompletableFuture<Long> reply : this.replies) {
					answered += reply.complete(1L) ? 1 : 0;
				}
				if (answered == 0) {
					Thread.onSpinWait();
				}
			}
			assertThat(flushed.join()).isTrue();
			assertThat(this.outcomes).hasSize(count).doesNotContainValue("twice").doesNotContainValue("failed");
			assertThat(this.sent.size()).as("XACK commands for %d ids", count).isLessThan(count);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
