package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.eventbus.sqs.SqsBatcher.Batch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SqsBatcher} with a batch call that records the batches and answers them as told.
 */
class SqsBatcherTests {

	private static final String QUEUE = "https://sqs.example/queue";

	private static final Duration LONG = Duration.ofHours(1);

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final List<List<String>> sent = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void fullBatchGoesOutOnTheAddingThreadAndEachEntryGetsItsOwnResult() {
		SqsBatcher<String, String> batcher = answering(LONG);
		List<CompletableFuture<String>> results = add(batcher, 10);
		assertThat(this.sent).containsExactly(List.of("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"));
		assertThat(results).allSatisfy((result) -> assertThat(result).isCompleted());
		assertThat(results.get(3)).isCompletedWithValue("done-e3");
	}

	@Test
	void partialBatchGoesOutOneLingerAfterItsFirstEntry() {
		SqsBatcher<String, String> batcher = answering(Duration.ofMillis(50));
		long start = System.nanoTime();
		List<CompletableFuture<String>> results = add(batcher, 3);
		assertThat(this.sent).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sent.size() == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(this.sent.get(0)).containsExactly("e0", "e1", "e2");
		assertThat(results).allSatisfy((result) -> assertThat(result).isCompleted());
	}

	@Test
	void batchesFilledBeforeTheirLingerShareOneTimer() {
		SqsBatcher<String, String> batcher = answering(LONG);
		add(batcher, 1_005);
		assertThat(this.sent).hasSize(100);
		assertThat(this.scheduler.getQueue()).as("linger timers").hasSize(1);
	}

	@Test
	void entryReportedAsFailedFailsOnlyThatEntryWithItsErrorCode() {
		SqsBatcher<String, String> batcher = new SqsBatcher<>(LONG, this.scheduler, String::length,
				(queueUrl, batch) -> {
					for (int i = 0; i < batch.entries().size(); i++) {
						if (i == 1) {
							batch.failed(Batch.id(i),
									SqsBatcher.entryFailure(BatchResultErrorEntry.builder()
										.id(Batch.id(i))
										.code("InvalidMessageContents")
										.message("not allowed")
										.senderFault(true)
										.build()));
						}
						else {
							batch.succeeded(Batch.id(i), "ok");
						}
					}
					return CompletableFuture.completedFuture(null);
				});
		List<CompletableFuture<String>> results = add(batcher, 10);
		assertThat(results.get(1)).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOfSatisfying(SqsException.class,
					(ex) -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("InvalidMessageContents"));
		assertThat(results.subList(2, 10)).allSatisfy((result) -> assertThat(result).isCompletedWithValue("ok"));
		assertThat(results.get(0)).isCompletedWithValue("ok");
	}

	@Test
	void failedRequestFailsEveryEntry() {
		IllegalStateException refused = new IllegalStateException("refused");
		SqsBatcher<String, String> batcher = new SqsBatcher<>(LONG, this.scheduler, String::length,
				(queueUrl, batch) -> CompletableFuture.failedFuture(refused));
		List<CompletableFuture<String>> results = add(batcher, 10);
		assertThat(results).allSatisfy((result) -> assertThat(result).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isSameAs(refused));
	}

	@Test
	void entryTheAnswerDoesNotMentionFails() {
		SqsBatcher<String, String> batcher = new SqsBatcher<>(LONG, this.scheduler, String::length,
				(queueUrl, batch) -> {
					batch.succeeded(Batch.id(0), "ok");
					return CompletableFuture.completedFuture(null);
				});
		List<CompletableFuture<String>> results = add(batcher, 10);
		assertThat(results.get(0)).isCompletedWithValue("ok");
		assertThat(results.subList(1, 10)).allSatisfy((result) -> assertThat(result).isCompletedExceptionally());
	}

	@Test
	void entryThatWouldTakeTheBatchOverThePayloadLimitStartsTheNextBatch() {
		int third = SqsBatcher.MAX_PAYLOAD_BYTES / 3;
		SqsBatcher<String, String> batcher = new SqsBatcher<>(LONG, this.scheduler, (entry) -> third, this::answer);
		add(batcher, 4);
		assertThat(this.sent).containsExactly(List.of("e0", "e1", "e2"));
		batcher.flush();
		assertThat(this.sent).containsExactly(List.of("e0", "e1", "e2"), List.of("e3"));
	}

	@Test
	void flushSendsWhatLingers() {
		SqsBatcher<String, String> batcher = answering(LONG);
		List<CompletableFuture<String>> results = add(batcher, 2);
		batcher.add("https://sqs.example/other", "o0");
		assertThat(this.sent).isEmpty();
		batcher.flush();
		assertThat(this.sent).containsExactlyInAnyOrder(List.of("e0", "e1"), List.of("o0"));
		assertThat(results).allSatisfy((result) -> assertThat(result).isCompleted());
	}

	@Test
	void partialBatchGoesOutAtOnceOnceTheSchedulerIsShutDown() {
		SqsBatcher<String, String> batcher = answering(LONG);
		this.scheduler.shutdown();
		CompletableFuture<String> result = batcher.add(QUEUE, "late");
		assertThat(this.sent).containsExactly(List.of("late"));
		assertThat(result).isCompletedWithValue("done-late");
	}

	private SqsBatcher<String, String> answering(Duration linger) {
		return new SqsBatcher<>(linger, this.scheduler, String::length, this::answer);
	}

	private CompletableFuture<?> answer(String queueUrl, Batch<String, String> batch) {
		this.sent.add(List.copyOf(batch.entries()));
		for (int i = 0; i < batch.entries().size(); i++) {
			batch.succeeded(Batch.id(i), "done-" + batch.entries().get(i));
		}
		return CompletableFuture.completedFuture(null);
	}

	private static List<CompletableFuture<String>> add(SqsBatcher<String, String> batcher, int count) {
		List<CompletableFuture<String>> results = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			results.add(batcher.add(QUEUE, "e" + i));
		}
		return results;
	}

}
