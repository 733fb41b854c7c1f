package dev.eventbus.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.eventbus.api.Event;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EventRecorder}.
 */
class EventRecorderTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final EventRecorder recorder = new EventRecorder();

	@Test
	void recordsFromManyThreadsWhileAnotherWaits() {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			for (int thread = 0; thread < 8; thread++) {
				int number = thread;
				threads.execute(() -> {
					for (int i = 0; i < 1_000; i++) {
						this.recorder.record(event("e-" + number + "-" + i, "test.recorded", i));
					}
				});
			}
			assertThat(this.recorder.awaitCount(8_000, TIMEOUT)).hasSize(8_000);
			assertThat(this.recorder.ids()).hasSize(8_000);
			assertThat(this.recorder.size()).isEqualTo(8_000);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void awaitEventReturnsFirstMatchingEventRecordedLater() {
		this.recorder.record(event("a", "order.created", 1));
		CompletableFuture.runAsync(() -> {
			this.recorder.record(event("b", "order.paid", 2));
			this.recorder.record(event("c", "order.paid", 3));
		});
		Event<?> paid = this.recorder.awaitEvent((event) -> event.type().equals("order.paid"), TIMEOUT);
		assertThat(paid.id()).isEqualTo("b");
	}

	@Test
	void awaitCountFailsAfterTimeoutDescribingWhatWasRecorded() {
		this.recorder.record(event("only", "order.created", 1));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.recorder.awaitCount(2, Duration.ofMillis(30)))
			.withMessageContaining("Expected at least 2 events but recorded 1")
			.withMessageContaining("order.created#only")
			.withMessageContaining("waited 30ms");
	}

	@Test
	void awaitEventFailsAfterTimeoutWhenNothingMatches() {
		this.recorder.record(event("a", "order.created", 1));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> this.recorder.awaitEvent((event) -> event.type().equals("order.paid"), Duration.ofMillis(20)))
			.withMessageContaining("No matching event among 1 recorded");
	}

	@Test
	void awaitIdsNamesTheMissingIds() {
		this.recorder.record(event("a", "order.created", 1));
		this.recorder.record(event("a", "order.created", 1));
		this.recorder.awaitIds(List.of("a"), TIMEOUT);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.recorder.awaitIds(List.of("a", "b", "c"), Duration.ofMillis(20)))
			.withMessageContaining("Missing 2 of 3 events: [b, c]");
	}

	@Test
	void keepsDuplicatesButReportsDistinctIdsInFirstSeenOrder() {
		this.recorder.record(event("b", "t", 1));
		this.recorder.record(event("a", "t", 2));
		this.recorder.record(event("b", "t", 1));
		assertThat(this.recorder.events()).extracting(Event::id).containsExactly("b", "a", "b");
		assertThat(this.recorder.ids()).containsExactly("b", "a");
	}

	@Test
	void payloadsReturnsThoseOfTheGivenType() {
		this.recorder.record(event("a", "t", 1));
		this.recorder.record(new Event<>("b", "t", "urn:test", Instant.now(), null, null, null, Map.of(), "text"));
		assertThat(this.recorder.payloads(String.class)).containsExactly("text");
		assertThat(this.recorder.payloads(Map.class)).hasSize(1);
	}

	@Test
	void clearForgetsEverything() {
		this.recorder.record(event("a", "t", 1));
		this.recorder.clear();
		assertThat(this.recorder.events()).isEmpty();
		assertThat(this.recorder.ids()).isEmpty();
		assertThat(this.recorder.size()).isZero();
	}

	private static Event<Map<String, Object>> event(String id, String type, int sequence) {
		return new Event<>(id, type, "urn:test", Instant.now(), null, null, null, Map.of(), Map.of("n", sequence));
	}

}
