package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.EventBusStatistics.HandlerCounts;
import dev.eventbus.spi.Delivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a failure means, the one place that does: retry with the handler's backoff
 * while attempts remain and the exception is worth it, else dead-letter (or drop, when
 * the handler has dead-lettering off). A dead letter that cannot be written leaves the
 * message unacknowledged: it is delivered again after the backoff (its handler runs
 * again), for {@value #DEAD_LETTER_WRITE_ATTEMPTS} more deliveries after the handler's
 * last attempt; then the message is dropped, so that it stops blocking the messages
 * behind it, and the loss is logged, counted ({@code eventbus.dead.letters.lost}) and
 * shown in the health details. Thread safe.
 */
final class FailurePolicy {

	private static final Log logger = LogFactory.getLog(FailurePolicy.class);

	/**
	 * Deliveries after the handler's last attempt in which a dead letter that failed is
	 * written again.
	 */
	static final int DEAD_LETTER_WRITE_ATTEMPTS = 3;

	private final DeadLetterPublisher deadLetters;

	private final Duration sendTimeout;

	private final EventBusStatistics statistics;

	FailurePolicy(DeadLetterPublisher deadLetters, Duration sendTimeout, EventBusStatistics statistics) {
		this.deadLetters = deadLetters;
		this.sendTimeout = sendTimeout;
		this.statistics = statistics;
	}

	/**
	 * A handler threw.
	 * @param delivery the delivery
	 * @param event the event
	 * @param handler the handler
	 * @param counts the handler's counts
	 * @param failure what it threw
	 * @param firstFailure when it first failed on this event
	 * @return retry or a final outcome
	 */
	Verdict failed(Delivery delivery, Event<?> event, HandlerInfo handler, HandlerCounts counts, Throwable failure,
			Instant firstFailure) {
		counts.increment(Counter.FAILED);
		int attempt = delivery.attempt();
		RetrySettings retry = handler.retry();
		if (attempt < retry.maxAttempts() && retry.retries(failure)) {
			Duration delay = retry.delayAfter(attempt);
			if (logger.isDebugEnabled()) {
				logger.debug("Handler " + handler.id() + " failed on event " + event.id() + " (attempt " + attempt
						+ " of " + retry.maxAttempts() + "), retrying in " + delay, failure);
			}
			counts.increment(Counter.RETRIED);
			return Verdict.retry(delay);
		}
		logger.warn("Handler " + handler.id() + " failed on event " + event.id() + " of type '" + event.type()
				+ "' after " + attempt + " attempt(s)", failure);
		return deadLetter(delivery, event, handler, counts, failure, firstFailure);
	}

	/**
	 * Dead-letter an event a handler cannot take at all (its data does not convert, its
	 * condition throws), or after its last failure.
	 * @return the final outcome, or retry when the dead letter could not be written
	 */
	Verdict deadLetter(Delivery delivery, Event<?> event, HandlerInfo handler, HandlerCounts counts, Throwable cause,
			Instant firstFailure) {
		if (!handler.deadLetter()) {
			logger.error(
					"Dropping " + describe(delivery, event) + ": handler " + handler.id() + " has dead-lettering off",
					cause);
			return Verdict.DROPPED;
		}
		Verdict verdict = write(delivery, event, handler.id(), handler.subscriptionGroup(), cause, firstFailure,
				handler.retry());
		if (verdict.outcome() == Outcome.DEAD_LETTERED) {
			counts.increment(Counter.DEAD_LETTERED);
		}
		return verdict;
	}

	/**
	 * Dead-letter a message that could not be decoded, once for the whole subscription.
	 * @param delivery the delivery
	 * @param subscription the subscription's name, recorded as the handler
	 * @param group the subscription's consumer group
	 * @param cause why it could not be decoded
	 * @param retry the retry policy for a dead letter that cannot be written
	 * @return the final outcome, or retry when the dead letter could not be written
	 */
	Verdict undecodable(Delivery delivery, String subscription, String group, Throwable cause, RetrySettings retry) {
		logger.warn("Dead-lettering undecodable message " + delivery.messageId() + " from '" + delivery.destination()
				+ "' of subscription " + subscription + ": " + cause.getMessage());
		return write(delivery, null, subscription, group, cause, Instant.now(), retry);
	}

	/**
	 * Dead-letter an event no handler of its subscription takes, once for the
	 * subscription.
	 * @param delivery the delivery
	 * @param event the event
	 * @param subscription the subscription's name, recorded as the handler
	 * @param group the subscription's consumer group
	 * @param cause why it is dead-lettered
	 * @param retry the retry policy for a dead letter that cannot be written
	 * @return the final outcome, or retry when the dead letter could not be written
	 */
	Verdict unmatched(Delivery delivery, Event<?> event, String subscription, String group, Throwable cause,
			RetrySettings retry) {
		Verdict verdict = write(delivery, event, subscription, group, cause, Instant.now(), retry);
		if (verdict.outcome() == Outcome.DEAD_LETTERED) {
			this.statistics.unmatchedDeadLettered();
		}
		return verdict;
	}

	private Verdict write(Delivery delivery, @Nullable Event<?> event, String handler, String group, Throwable cause,
			Instant firstFailure, RetrySettings retry) {
		try {
			this.deadLetters.publish(delivery, event, handler, group, cause, firstFailure, Instant.now())
				.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
			return Verdict.DEAD_LETTERED;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			String deadLetterDestination = this.deadLetters.deadLetterDestination(delivery.destination());
			if (delivery.attempt() >= retry.maxAttempts() + DEAD_LETTER_WRITE_ATTEMPTS) {
				String lost = describe(delivery, event) + " (handler " + handler + "): its dead letter could not be "
						+ "written to '" + deadLetterDestination + "' by delivery " + delivery.attempt() + ": "
						+ ex.getMessage();
				logger.error("Dropping " + lost + "; it is lost, so that the messages behind it flow", ex);
				this.statistics.deadLetterLost(lost);
				return Verdict.DROPPED;
			}
			Duration delay = retry.delayAfter(delivery.attempt());
			logger.error("Could not dead-letter " + describe(delivery, event) + " to '" + deadLetterDestination
					+ "'; it stays unacknowledged and is delivered again in " + delay, ex);
			return Verdict.retry(delay);
		}
	}

	private static String describe(Delivery delivery, @Nullable Event<?> event) {
		return (event != null) ? "event " + event.id() + " of type '" + event.type() + "'"
				: "message " + delivery.messageId() + " from '" + delivery.destination() + "'";
	}

}
