package dev.eventbus.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusException;
import dev.eventbus.spi.Delivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What a subscription does with an event of a type none of its handlers takes, such as a
 * foreign producer's misspelled type: count it ({@code eventbus.events.unmatched}), log
 * the first of each type once, and acknowledge it, or dead-letter it when the bus is
 * configured to. Thread safe.
 */
final class UnmatchedEvents {

	private static final Log logger = LogFactory.getLog(UnmatchedEvents.class);

	private static final int MAX_LOGGED_TYPES = 1_000;

	private final boolean deadLetter;

	private final EventBusStatistics statistics;

	private final Set<String> loggedTypes = ConcurrentHashMap.newKeySet();

	UnmatchedEvents(boolean deadLetter, EventBusStatistics statistics) {
		this.deadLetter = deadLetter;
		this.statistics = statistics;
	}

	/**
	 * Deal with an event no handler of a subscription takes.
	 * @param delivery the delivery
	 * @param event the event
	 * @param subscription the subscription's name
	 * @param group its consumer group
	 * @param failures writes the dead letter
	 * @param retry the retry policy for a dead letter that cannot be written
	 * @return acknowledge, or the outcome of dead-lettering
	 */
	Verdict handle(Delivery delivery, Event<?> event, String subscription, String group, FailurePolicy failures,
			RetrySettings retry) {
		this.statistics.unmatched();
		String key = subscription + "/" + event.type();
		if (this.loggedTypes.size() < MAX_LOGGED_TYPES && this.loggedTypes.add(key)) {
			logger.info("Events of type '" + event.type() + "' on '" + delivery.destination()
					+ "' match no handler of group '" + group + "' (first: " + event.id() + " from " + event.source()
					+ "): "
					+ (this.deadLetter ? "they are dead-lettered"
							: "they are acknowledged and counted in eventbus.events.unmatched; set "
									+ "eventbus.dead-letter-unmatched-events=true to dead-letter them"));
		}
		if (!this.deadLetter) {
			return Verdict.SUCCESS;
		}
		return failures.unmatched(delivery, event, subscription, group, new UnmatchedEventTypeException(
				"No handler of group '" + group + "' takes events of type '" + event.type() + "'"), retry);
	}

	/**
	 * An event arrived whose type no handler of its subscription takes.
	 */
	static final class UnmatchedEventTypeException extends EventBusException {

		UnmatchedEventTypeException(String message) {
			super(message);
		}

	}

}
