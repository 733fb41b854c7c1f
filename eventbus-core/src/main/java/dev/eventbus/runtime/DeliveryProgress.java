package dev.eventbus.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * What the handlers of one subscription did with the events that are being retried: which
 * handlers are done with an event (so that a redelivery re-runs only the others), when
 * each failing handler first failed (for the dead letter), and how many deliveries of it
 * a batch handler gave back unhandled (which do not count as attempts). Kept in memory
 * while the process lives and forgotten once the event is acknowledged; after a restart a
 * redelivered event runs every handler again (at-least-once). Holds at most
 * {@value #MAX_TRACKED} events; beyond that nothing is remembered and a redelivery
 * re-runs every handler. Thread safe.
 */
final class DeliveryProgress {

	private static final int MAX_TRACKED = 10_000;

	private final Map<String, EventProgress> events = new ConcurrentHashMap<>();

	/**
	 * The progress of an event, if any handler of it failed before.
	 * @param eventId the event id
	 * @return the progress, or {@code null}
	 */
	@Nullable EventProgress find(String eventId) {
		return this.events.isEmpty() ? null : this.events.get(eventId);
	}

	/**
	 * The progress of an event, started if new.
	 * @param eventId the event id
	 * @return the progress; not remembered past this delivery when too many events are
	 * tracked
	 */
	EventProgress start(String eventId) {
		EventProgress progress = this.events.get(eventId);
		if (progress != null) {
			return progress;
		}
		return (this.events.size() < MAX_TRACKED) ? this.events.computeIfAbsent(eventId, (id) -> new EventProgress())
				: new EventProgress();
	}

	void forget(String eventId) {
		if (!this.events.isEmpty()) {
			this.events.remove(eventId);
		}
	}

	/**
	 * The handlers done with one event, and the first failure of those that failed.
	 */
	static final class EventProgress {

		private final Set<String> done = ConcurrentHashMap.newKeySet();

		private final Map<String, Instant> firstFailures = new ConcurrentHashMap<>();

		private final AtomicInteger givenBackUnhandled = new AtomicInteger();

		boolean isDone(String handlerId) {
			return this.done.contains(handlerId);
		}

		void done(String handlerId) {
			this.done.add(handlerId);
		}

		Instant failed(String handlerId, Instant now) {
			Instant first = this.firstFailures.putIfAbsent(handlerId, now);
			return (first != null) ? first : now;
		}

		/** A delivery of the event was given back without being handled. */
		void givenBackUnhandled() {
			this.givenBackUnhandled.incrementAndGet();
		}

		/**
		 * Deliveries of the event given back without being handled.
		 * @return how many
		 */
		int unhandledDeliveries() {
			return this.givenBackUnhandled.get();
		}

	}

}
