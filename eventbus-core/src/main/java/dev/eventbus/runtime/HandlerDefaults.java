package dev.eventbus.runtime;

import java.time.Duration;
import java.util.Objects;

import dev.eventbus.spi.BatchSpec;

import org.jspecify.annotations.Nullable;

/**
 * What a handler gets for every attribute its {@code @EventHandler} leaves unset.
 * Immutable.
 *
 * @param group consumer group
 * @param concurrency events handled in parallel per subscription and instance
 * @param retry retry policy
 * @param timeout longest a handling may run before it counts as failed, or {@code null}
 * for none
 * @param batch how the batches of batch handlers are formed
 * @param idempotent whether handlers apply each event once through the bus's inbox
 */
public record HandlerDefaults(String group, int concurrency, RetrySettings retry, @Nullable Duration timeout,
		BatchSpec batch, boolean idempotent) {

	/** Batches of at most 100 events, waiting at most 100 ms to fill. */
	public static final BatchSpec DEFAULT_BATCH = new BatchSpec(100, Duration.ofMillis(100));

	/**
	 * Group {@code application}, concurrency 1, {@link RetrySettings#DEFAULTS}, no
	 * timeout, {@link #DEFAULT_BATCH}, not idempotent.
	 */
	public static final HandlerDefaults DEFAULTS = new HandlerDefaults("application", 1, RetrySettings.DEFAULTS, null,
			DEFAULT_BATCH, false);

	public HandlerDefaults {
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(retry, "retry");
		Objects.requireNonNull(batch, "batch");
		if (group.isBlank()) {
			throw new IllegalArgumentException("group must not be empty");
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout must be positive, was " + timeout);
		}
	}

	public HandlerDefaults withGroup(String newGroup) {
		return new HandlerDefaults(newGroup, this.concurrency, this.retry, this.timeout, this.batch, this.idempotent);
	}

	public HandlerDefaults withConcurrency(int newConcurrency) {
		return new HandlerDefaults(this.group, newConcurrency, this.retry, this.timeout, this.batch, this.idempotent);
	}

	public HandlerDefaults withRetry(RetrySettings newRetry) {
		return new HandlerDefaults(this.group, this.concurrency, newRetry, this.timeout, this.batch, this.idempotent);
	}

	public HandlerDefaults withTimeout(@Nullable Duration newTimeout) {
		return new HandlerDefaults(this.group, this.concurrency, this.retry, newTimeout, this.batch, this.idempotent);
	}

	public HandlerDefaults withIdempotent(boolean newIdempotent) {
		return new HandlerDefaults(this.group, this.concurrency, this.retry, this.timeout, this.batch, newIdempotent);
	}

	public HandlerDefaults withBatch(BatchSpec newBatch) {
		return new HandlerDefaults(this.group, this.concurrency, this.retry, this.timeout, newBatch, this.idempotent);
	}

}
