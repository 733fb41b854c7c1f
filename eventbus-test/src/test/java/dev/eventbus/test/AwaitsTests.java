package dev.eventbus.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Awaits}.
 */
class AwaitsTests {

	@Test
	void returnsOnceConditionHolds() {
		AtomicBoolean done = new AtomicBoolean();
		CompletableFuture.runAsync(() -> done.set(true));
		Awaits.await(Duration.ofSeconds(5), done::get, "never done");
		assertThat(done).isTrue();
	}

	@Test
	void failsWithTheMessageAfterTimeout() {
		AtomicInteger checks = new AtomicInteger();
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> Awaits.await(Duration.ofMillis(50), () -> checks.incrementAndGet() < 0,
					() -> "checked " + checks.get() + " times"))
			.withMessageStartingWith("checked ")
			.withMessageEndingWith("(waited 50ms)");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(checks.get()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void propagatesWhatTheConditionThrows() {
		assertThatIllegalStateException().isThrownBy(() -> Awaits.await(Duration.ofSeconds(1), () -> {
			throw new IllegalStateException("broken");
		}, "unused")).withMessage("broken");
	}

}
