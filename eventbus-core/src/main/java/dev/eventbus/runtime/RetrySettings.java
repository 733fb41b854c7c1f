package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Retry policy of a handler in the vocabulary of Spring Framework's {@link RetryPolicy}:
 * exponential backoff with jitter, then dead letter. Immutable.
 *
 * @param maxRetries deliveries after the first; 0 disables retry
 * @param delay delay before the first retry
 * @param multiplier factor applied to the delay after each failure
 * @param maxDelay upper bound of the delay
 * @param jitter random amount added to or subtracted from each delay
 * @param includes exceptions worth a retry (subclasses included); empty for every
 * exception
 * @param excludes exceptions that are dead-lettered at once (subclasses included)
 */
public record RetrySettings(long maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter,
		List<Class<? extends Throwable>> includes, List<Class<? extends Throwable>> excludes) {

	/** 2 retries, 1 s, x2, at most 30 s, 100 ms of jitter. */
	public static final RetrySettings DEFAULTS = new RetrySettings(2, Duration.ofSeconds(1), 2.0,
			Duration.ofSeconds(30), Duration.ofMillis(100));

	/**
	 * Create settings that retry every exception.
	 * @param maxRetries deliveries after the first
	 * @param delay delay before the first retry
	 * @param multiplier factor applied to the delay after each failure
	 * @param maxDelay upper bound of the delay
	 * @param jitter random amount added to or subtracted from each delay
	 */
	public RetrySettings(long maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter) {
		this(maxRetries, delay, multiplier, maxDelay, jitter, List.of(), List.of());
	}

	public RetrySettings {
		Objects.requireNonNull(delay, "delay");
		Objects.requireNonNull(maxDelay, "maxDelay");
		Objects.requireNonNull(jitter, "jitter");
		includes = List.copyOf(includes);
		excludes = List.copyOf(excludes);
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
		}
		if (multiplier < 1) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (delay.isNegative() || maxDelay.isNegative() || jitter.isNegative()) {
			throw new IllegalArgumentException("retry delays must not be negative");
		}
	}

	/**
	 * Deliveries in total before the event is dead-lettered.
	 * @return {@code maxRetries + 1}
	 */
	public int maxAttempts() {
		return (int) Math.min(Integer.MAX_VALUE, this.maxRetries + 1);
	}

	/**
	 * The framework's policy of these settings.
	 * @return the policy
	 */
	public RetryPolicy toRetryPolicy() {
		return policy(this.maxRetries);
	}

	private RetryPolicy policy(long retries) {
		return RetryPolicy.builder()
			.maxRetries(retries)
			.delay(this.delay)
			.multiplier(this.multiplier)
			.maxDelay(this.maxDelay.compareTo(this.delay) >= 0 ? this.maxDelay : this.delay)
			.jitter(this.jitter.compareTo(this.delay) <= 0 ? this.jitter : this.delay)
			.includes(this.includes)
			.excludes(this.excludes)
			.build();
	}

	/**
	 * Whether a failure is worth another attempt, by {@link #includes()} and
	 * {@link #excludes()}.
	 * @param failure what the handler threw
	 * @return whether to retry it
	 */
	public boolean retries(Throwable failure) {
		return toRetryPolicy().shouldRetry(failure);
	}

	/**
	 * Delay before the delivery that follows a failed one, by the policy's backoff; past
	 * the last retry (a dead letter that could not be written is delivered again) the
	 * backoff goes on growing up to {@link #maxDelay()}.
	 * @param failedAttempt the attempt that failed (1 for the first delivery)
	 * @return the delay, never negative
	 */
	public Duration delayAfter(int failedAttempt) {
		BackOffExecution execution = policy(Long.MAX_VALUE).getBackOff().start();
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
