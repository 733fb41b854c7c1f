package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Retry policy of a handler: exponential backoff with jitter (Spring's {@link ExponentialBackOff}),
 * then dead letter. Immutable.
 *
 * @param maxAttempts deliveries in total, the first included; 1 disables retry
 * @param initialInterval delay before the second delivery
 * @param multiplier factor applied to the delay after each failure
 * @param maxInterval upper bound of the delay
 * @param jitter random amount added to or subtracted from each delay
 * @param noRetryFor exceptions that are dead-lettered at once (subclasses included)
 */
public record RetrySettings(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval,
		Duration jitter, List<Class<? extends Throwable>> noRetryFor) {

	/** 3 attempts, 1 s, x2, at most 30 s, 100 ms of jitter. */
	public static final RetrySettings DEFAULTS = new RetrySettings(3, Duration.ofSeconds(1), 2.0,
			Duration.ofSeconds(30), Duration.ofMillis(100));

	/**
	 * Create settings that retry every exception.
	 * @param maxAttempts deliveries in total, the first included
	 * @param initialInterval delay before the second delivery
	 * @param multiplier factor applied to the delay after each failure
	 * @param maxInterval upper bound of the delay
	 * @param jitter random amount added to or subtracted from each delay
	 */
	public RetrySettings(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval,
			Duration jitter) {
		this(maxAttempts, initialInterval, multiplier, maxInterval, jitter, List.of());
	}

	public RetrySettings {
		noRetryFor = List.copyOf(noRetryFor);
		Objects.requireNonNull(initialInterval, "initialInterval");
		Objects.requireNonNull(maxInterval, "maxInterval");
		Objects.requireNonNull(jitter, "jitter");
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (multiplier < 1) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (initialInterval.isNegative() || maxInterval.isNegative() || jitter.isNegative()) {
			throw new IllegalArgumentException("retry intervals must not be negative");
		}
	}

	/**
	 * Whether a failure is worth another attempt.
	 * @param failure what the handler threw
	 * @return {@code false} if it is one of {@link #noRetryFor()}
	 */
	public boolean retries(Throwable failure) {
		for (Class<? extends Throwable> type : this.noRetryFor) {
			if (type.isInstance(failure)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Delay before the delivery that follows a failed one.
	 * @param failedAttempt the attempt that failed (1 for the first delivery)
	 * @return the delay, never negative
	 */
	public Duration delayAfter(int failedAttempt) {
		ExponentialBackOff backOff = new ExponentialBackOff(this.initialInterval.toMillis(), this.multiplier);
		backOff.setMaxInterval(Math.max(this.maxInterval.toMillis(), this.initialInterval.toMillis()));
		backOff.setJitter(Math.min(this.jitter.toMillis(), this.initialInterval.toMillis()));
		BackOffExecution execution = backOff.start();
		long delay = 0;
		for (int i = 0; i < failedAttempt; i++) {
			long next = execution.nextBackOff();
			if (next == BackOffExecution.STOP) {
				break;
			}
			delay = next;
		}
		return Duration.ofMillis(Math.max(0, delay));
	}

}
