package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Entries a subscription gave back with {@code retry(delay)}: they stay pending with its consumer
 * until their delay has passed, then the read loop claims them again. Thread safe.
 */
final class StreamRetries {

	private final DelayQueue<Wait> queue = new DelayQueue<>();

	private final ConcurrentMap<String, Wait> byId = new ConcurrentHashMap<>();

	private final Duration claimIdleTime;

	StreamRetries(Duration claimIdleTime) {
		this.claimIdleTime = claimIdleTime;
	}

	void add(String entryId, int attempt, Duration delay) {
		Wait wait = new Wait(entryId, attempt, System.nanoTime() + Math.max(0, delay.toNanos()));
		this.byId.put(entryId, wait);
		this.queue.add(wait);
	}

	/**
	 * Remove the retries that are due.
	 * @param max most retries taken
	 * @return entry ids with the attempt of their next delivery, oldest due first
	 */
	Map<String, Integer> takeDue(int max) {
		Map<String, Integer> due = new LinkedHashMap<>();
		Wait wait;
		while (due.size() < max && (wait = this.queue.poll()) != null) {
			this.byId.remove(wait.entryId(), wait);
			due.put(wait.entryId(), wait.attempt());
		}
		return due;
	}

	/**
	 * Time until the next retry is due.
	 * @return the time, zero when one is due, a day when none waits
	 */
	Duration untilNextDue() {
		Wait next = this.queue.peek();
		return (next != null) ? Duration.ofNanos(Math.max(0, next.getDelay(TimeUnit.NANOSECONDS)))
				: Duration.ofDays(1);
	}

	boolean holds(String entryId) {
		return this.byId.containsKey(entryId);
	}

	List<String> ids() {
		return new ArrayList<>(this.byId.keySet());
	}

	int size() {
		return this.byId.size();
	}

	/**
	 * Remove every retry, grouped by the idle time to give each entry so that other consumers claim
	 * it once its delay has passed: the claim idle time minus the delay left.
	 * @return entry ids by idle time
	 */
	Map<Duration, List<String>> drain() {
		Map<Duration, List<String>> byIdle = new LinkedHashMap<>();
		Wait wait;
		while ((wait = removeAny()) != null) {
			this.byId.remove(wait.entryId(), wait);
			long left = Math.max(0, wait.getDelay(TimeUnit.NANOSECONDS));
			Duration idle = Duration.ofMillis(Math.max(0, this.claimIdleTime.minusNanos(left).toMillis()));
			byIdle.computeIfAbsent(idle, (key) -> new ArrayList<>()).add(wait.entryId());
		}
		return byIdle;
	}

	private @Nullable Wait removeAny() {
		for (Wait wait : this.queue) {
			if (this.queue.remove(wait)) {
				return wait;
			}
		}
		return null;
	}

	private record Wait(String entryId, int attempt, long dueNanos) implements Delayed {

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(this.dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
