package dev.eventbus.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Running counts of the bus, overall and per handler, for the actuator endpoint and
 * metrics. Thread safe; counting is contention-free.
 */
public final class EventBusStatistics {

	private final LongAdder published = new LongAdder();

	private final LongAdder publishFailed = new LongAdder();

	private final LongAdder deadLettersLost = new LongAdder();

	private final LongAdder unmatched = new LongAdder();

	private final LongAdder unmatchedDeadLettered = new LongAdder();

	private volatile @Nullable String lastDeadLetterLost;

	private final Map<String, HandlerCounts> handlers = new ConcurrentHashMap<>();

	void published() {
		this.published.increment();
	}

	void publishFailed() {
		this.publishFailed.increment();
	}

	HandlerCounts handler(String handlerId) {
		return this.handlers.computeIfAbsent(handlerId, (id) -> new HandlerCounts());
	}

	void unmatched() {
		this.unmatched.increment();
	}

	void unmatchedDeadLettered() {
		this.unmatchedDeadLettered.increment();
	}

	/**
	 * Events whose type no handler of the subscription that received them takes.
	 * @return the count
	 */
	public long unmatchedCount() {
		return this.unmatched.sum();
	}

	/**
	 * Events dead-lettered because no handler took their type.
	 * @return the count
	 */
	public long unmatchedDeadLetteredCount() {
		return this.unmatchedDeadLettered.sum();
	}

	void deadLetterLost(String description) {
		this.deadLettersLost.increment();
		this.lastDeadLetterLost = description;
	}

	/**
	 * Messages dropped because their dead letter could not be written, even after
	 * retries.
	 * @return the count
	 */
	public long deadLettersLostCount() {
		return this.deadLettersLost.sum();
	}

	/**
	 * The last message dropped because its dead letter could not be written.
	 * @return what it was and why, or {@code null} when none was
	 */
	public @Nullable String lastDeadLetterLost() {
		return this.lastDeadLetterLost;
	}

	public long publishedCount() {
		return this.published.sum();
	}

	public long publishFailedCount() {
		return this.publishFailed.sum();
	}

	public long receivedCount() {
		return sum(Counter.RECEIVED);
	}

	public long handledCount() {
		return sum(Counter.HANDLED);
	}

	public long failedCount() {
		return sum(Counter.FAILED);
	}

	public long retriedCount() {
		return sum(Counter.RETRIED);
	}

	public long deadLetteredCount() {
		return sum(Counter.DEAD_LETTERED);
	}

	public long skippedCount() {
		return sum(Counter.SKIPPED);
	}

	private long sum(Counter counter) {
		long total = 0;
		for (HandlerCounts counts : this.handlers.values()) {
			total += counts.get(counter);
		}
		return total;
	}

	/**
	 * Counts per handler id.
	 * @return a snapshot, sorted by handler id
	 */
	public Map<String, Map<String, Long>> perHandler() {
		Map<String, Map<String, Long>> result = new TreeMap<>();
		this.handlers.forEach((id, counts) -> result.put(id, counts.snapshot()));
		return result;
	}

	/**
	 * Counts of one handler.
	 * @param handlerId the handler id
	 * @param counter which count
	 * @return the count
	 */
	public long count(String handlerId, Counter counter) {
		HandlerCounts counts = this.handlers.get(handlerId);
		return (counts != null) ? counts.get(counter) : 0;
	}

	/**
	 * What is counted per handler.
	 */
	public enum Counter {

		/** Deliveries received whose type the handler takes. */
		RECEIVED,

		/** Deliveries the handler completed. */
		HANDLED,

		/** Handler invocations that threw. */
		FAILED,

		/** Deliveries given back for another attempt. */
		RETRIED,

		/** Deliveries written to the dead-letter destination. */
		DEAD_LETTERED,

		/**
		 * Deliveries acknowledged without invocation: other types, a false condition, a
		 * replay for another handler.
		 */
		SKIPPED,

		/** Batches a batch handler was invoked with. */
		BATCHES,

		/**
		 * Events an idempotent handler had taken before, acknowledged without invocation.
		 */
		DUPLICATES;

		/**
		 * Key of the counter in snapshots: {@code received}, {@code handled},
		 * {@code failed}, {@code retried}, {@code deadLettered}, {@code skipped},
		 * {@code batches}, {@code duplicates}.
		 * @return the key
		 */
		public String key() {
			return (this == DEAD_LETTERED) ? "deadLettered" : name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	static final class HandlerCounts {

		private final LongAdder[] counters = new LongAdder[Counter.values().length];

		HandlerCounts() {
			for (int i = 0; i < this.counters.length; i++) {
				this.counters[i] = new LongAdder();
			}
		}

		void increment(Counter counter) {
			this.counters[counter.ordinal()].increment();
		}

		long get(Counter counter) {
			return this.counters[counter.ordinal()].sum();
		}

		Map<String, Long> snapshot() {
			Map<String, Long> result = new TreeMap<>();
			for (Counter counter : Counter.values()) {
				result.put(counter.key(), get(counter));
			}
			return result;
		}

	}

}
