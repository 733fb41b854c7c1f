package dev.eventbus.runtime;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How one handler ended with one delivery, and for a retry, how long to wait.
 *
 * @param outcome the outcome
 * @param retryDelay the least delay before redelivery, for {@link Outcome#RETRY} only
 */
record Verdict(Outcome outcome, @Nullable Duration retryDelay) {

	static final Verdict SUCCESS = new Verdict(Outcome.SUCCESS, null);

	static final Verdict SKIPPED = new Verdict(Outcome.SKIPPED, null);

	static final Verdict DUPLICATE = new Verdict(Outcome.DUPLICATE, null);

	static final Verdict DEAD_LETTERED = new Verdict(Outcome.DEAD_LETTERED, null);

	static final Verdict DROPPED = new Verdict(Outcome.DROPPED, null);

	static Verdict retry(Duration delay) {
		return new Verdict(Outcome.RETRY, delay);
	}

}
