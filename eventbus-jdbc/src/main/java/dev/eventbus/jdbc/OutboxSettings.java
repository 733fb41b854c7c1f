package dev.eventbus.jdbc;

import java.time.Duration;
import java.util.Objects;

import dev.eventbus.runtime.RetrySettings;

/**
 * How the relay sends the outbox.
 *
 * @param batchSize most rows one relay round sends: the first row of up to that many
 * subjects (and rows without a subject), each followed by the next rows of its subject, a
 * share of the batch size each
 * @param sweepInterval how often a relay looks for rows when nothing woke it: rows left
 * by a crash, due again after a failure, or committed by another instance
 * @param sendTimeout longest wait for the broker to take a row
 * @param retry the backoff between sends of a row, and how many sends it gets before it
 * is marked failed and waits as a dead letter
 * @param keepSent whether sent rows are kept, marked sent, instead of deleted
 * @param deadLetterSuffix suffix of dead-letter destinations, under which failed rows are
 * listed
 */
public record OutboxSettings(int batchSize, Duration sweepInterval, Duration sendTimeout, RetrySettings retry,
		boolean keepSent, String deadLetterSuffix) {

	/**
	 * 19 retries from 1 s doubling up to 1 min (about 16 minutes in all), without jitter.
	 */
	public static final RetrySettings DEFAULT_RETRY = new RetrySettings(19, Duration.ofSeconds(1), 2.0,
			Duration.ofMinutes(1), Duration.ZERO);

	/**
	 * Batches of 500, a sweep every second, 10 s send timeout, {@link #DEFAULT_RETRY},
	 * sent rows deleted, suffix {@code .dlq}.
	 */
	public static final OutboxSettings DEFAULTS = new OutboxSettings(500, Duration.ofSeconds(1), Duration.ofSeconds(10),
			DEFAULT_RETRY, false, ".dlq");

	public OutboxSettings {
		Objects.requireNonNull(sweepInterval, "sweepInterval");
		Objects.requireNonNull(sendTimeout, "sendTimeout");
		Objects.requireNonNull(retry, "retry");
		Objects.requireNonNull(deadLetterSuffix, "deadLetterSuffix");
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
		}
		if (sweepInterval.isNegative() || sweepInterval.isZero()) {
			throw new IllegalArgumentException("sweepInterval must be positive, was " + sweepInterval);
		}
	}

	public OutboxSettings withSweepInterval(Duration newSweepInterval) {
		return new OutboxSettings(this.batchSize, newSweepInterval, this.sendTimeout, this.retry, this.keepSent,
				this.deadLetterSuffix);
	}

	public OutboxSettings withRetry(RetrySettings newRetry) {
		return new OutboxSettings(this.batchSize, this.sweepInterval, this.sendTimeout, newRetry, this.keepSent,
				this.deadLetterSuffix);
	}

	public OutboxSettings withKeepSent(boolean newKeepSent) {
		return new OutboxSettings(this.batchSize, this.sweepInterval, this.sendTimeout, this.retry, newKeepSent,
				this.deadLetterSuffix);
	}

	public OutboxSettings withSendTimeout(Duration newSendTimeout) {
		return new OutboxSettings(this.batchSize, this.sweepInterval, newSendTimeout, this.retry, this.keepSent,
				this.deadLetterSuffix);
	}

	public OutboxSettings withBatchSize(int newBatchSize) {
		return new OutboxSettings(newBatchSize, this.sweepInterval, this.sendTimeout, this.retry, this.keepSent,
				this.deadLetterSuffix);
	}

}
