package dev.eventbus.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetrySettingsTests {

	@Test
	void delaysGrowExponentiallyUpToTheMaximum() {
		RetrySettings retry = new RetrySettings(10, Duration.ofMillis(100), 2.0, Duration.ofMillis(500), Duration.ZERO);
		assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(retry.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(retry.delayAfter(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(retry.delayAfter(4)).isEqualTo(Duration.ofMillis(500));
		assertThat(retry.delayAfter(9)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void jitterStaysWithinItsBounds() {
		RetrySettings retry = new RetrySettings(5, Duration.ofMillis(1000), 2.0, Duration.ofSeconds(10),
				Duration.ofMillis(100));
		for (int i = 0; i < 200; i++) {
			assertThat(retry.delayAfter(1).toMillis()).isBetween(900L, 1100L);
		}
	}

	@Test
	void delaysGoOnPastTheLastRetryForDeadLettersThatCouldNotBeWritten() {
		RetrySettings noRetries = new RetrySettings(0, Duration.ofMillis(100), 2.0, Duration.ofMillis(500),
				Duration.ZERO);
		assertThat(noRetries.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(noRetries.delayAfter(5)).isEqualTo(Duration.ofMillis(500));
		assertThat(noRetries.retries(new IllegalStateException())).isTrue();
	}

	@Test
	void rejectsNonsense() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(-1, Duration.ZERO, 2, Duration.ZERO, Duration.ZERO))
			.withMessageContaining("maxRetries");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings(1, Duration.ZERO, 0.5, Duration.ZERO, Duration.ZERO))
			.withMessageContaining("multiplier");
	}

}
