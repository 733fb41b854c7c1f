package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The entries a subscription holds: pending with its consumer, either in flight in a handler or
 * waiting for a retry. Keeps them from being claimed by others while the subscription lives
 * ({@link #touchAll()}) and hands them to the group when it closes ({@link #releaseAll()}). Thread
 * safe.
 */
final class StreamHoldings {

	private static final Log logger = LogFactory.getLog(StreamHoldings.class);

	private static final int CHUNK = 100;

	private final ConcurrentMap<String, StreamDelivery> inFlight = new ConcurrentHashMap<>();

	private final StreamRetries retries;

	private final StreamGroupCommands commands;

	private final Duration claimIdleTime;

	StreamHoldings(StreamGroupCommands commands, Duration claimIdleTime) {
		this.commands = commands;
		this.claimIdleTime = claimIdleTime;
		this.retries = new StreamRetries(claimIdleTime);
	}

	void dispatched(StreamDelivery delivery) {
		this.inFlight.put(delivery.messageId(), delivery);
	}

	/**
	 * Forget a delivery that was settled.
	 * @param entryId the entry id
	 * @return whether it was in flight
	 */
	boolean settled(String entryId) {
		return this.inFlight.remove(entryId) != null;
	}

	void retryLater(String entryId, int attempt, Duration delay) {
		this.retries.add(entryId, attempt, delay);
	}

	boolean holds(String entryId) {
		return this.inFlight.containsKey(entryId) || this.retries.holds(entryId);
	}

	int inFlight() {
		return this.inFlight.size();
	}

	int waitingRetries() {
		return this.retries.size();
	}

	Map<String, Integer> takeDue(int max) {
		return this.retries.takeDue(max);
	}

	Duration untilNextDue() {
		return this.retries.untilNextDue();
	}

	/**
	 * Reset the idle time of every held entry, so that no other consumer claims it.
	 */
	void touchAll() {
		List<String> held = new ArrayList<>(this.inFlight.keySet());
		held.addAll(this.retries.ids());
		for (int from = 0; from < held.size(); from += CHUNK) {
			this.commands.touch(held.subList(from, Math.min(held.size(), from + CHUNK)));
		}
	}

	/**
	 * Let other consumers claim every held entry: in-flight ones at once, retries once their delay
	 * has passed. Never throws.
	 */
	void releaseAll() {
		release(new ArrayList<>(this.inFlight.keySet()), this.claimIdleTime);
		releaseRetries();
	}

	/**
	 * Let other consumers claim the entries waiting for a retry once their delay has passed. Never
	 * throws.
	 */
	void releaseRetries() {
		this.retries.drain().forEach((idle, ids) -> release(ids, idle));
	}

	/**
	 * Let other consumers claim entries that no handler has seen, at once and with the delivery
	 * count they had before this consumer read them, so that reading ahead costs no attempt.
	 * Forgets them. Never throws.
	 * @param deliveries the deliveries
	 */
	void handBack(List<StreamDelivery> deliveries) {
		Map<Integer, List<String>> byAttempt = new LinkedHashMap<>();
		for (StreamDelivery delivery : deliveries) {
			this.inFlight.remove(delivery.messageId());
			byAttempt.computeIfAbsent(delivery.attempt(), (attempt) -> new ArrayList<>()).add(delivery.messageId());
		}
		byAttempt.forEach((attempt, ids) -> release(ids, this.claimIdleTime, attempt - 1L));
	}

	private void release(List<String> entryIds, Duration idle) {
		release(entryIds, idle, null);
	}

	private void release(List<String> entryIds, Duration idle, @Nullable Long deliveryCount) {
		try {
			for (int from = 0; from < entryIds.size(); from += CHUNK) {
				this.commands.release(entryIds.subList(from, Math.min(entryIds.size(), from + CHUNK)), idle,
						deliveryCount);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand " + entryIds.size() + " entries back to the group of consumer '"
					+ this.commands.consumer() + "'; other consumers claim them after the claim idle time", ex);
		}
	}

}
