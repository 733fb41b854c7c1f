package dev.eventbus.memory;

import java.util.ArrayDeque;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One serial queue of a consumer group: the messages of the keys that hash to it, delivered one at
 * a time in order. A lane is busy while a drain task is scheduled, while a delivery is in flight and
 * while a retried message waits for its delay; only an idle lane gets a new drain task. Guarded by
 * its own monitor: every method but {@link #arrivals()} is called inside {@code synchronized (lane)}.
 */
final class MemoryLane {

	private int nextMember;

	private final ArrayDeque<MemoryEntry> pending = new ArrayDeque<>();

	private @Nullable MemoryDelivery current;

	private boolean drainScheduled;

	private @Nullable MemoryDelivery inline;

	private boolean waitingForRetry;

	/** Messages ever added, read without the lock by a drain task lingering for the next one. */
	private volatile int arrivals;

	/**
	 * The member to deliver the next message to, round robin.
	 * @param members how many members the group has
	 * @return the index of the member
	 */
	int nextMember(int members) {
		this.nextMember = (this.nextMember + 1) % members;
		return this.nextMember;
	}

	/**
	 * How many messages wait in this lane.
	 * @return the number waiting
	 */
	int queued() {
		return this.pending.size();
	}

	void add(MemoryEntry entry) {
		this.pending.addLast(entry);
		this.arrivals++;
	}

	/**
	 * How many messages were ever added; a change tells a lingering drain task to go on. Safe to
	 * read without the lock.
	 * @return the count, wrapping around
	 */
	int arrivals() {
		return this.arrivals;
	}

	/**
	 * The delivery in flight on this lane.
	 * @return the delivery, or {@code null}
	 */
	@Nullable MemoryDelivery current() {
		return this.current;
	}

	/**
	 * Take the next message and mark its delivery in flight.
	 * @param deliveryFactory creates the delivery of the entry
	 * @return the delivery
	 */
	MemoryDelivery start(Function<MemoryEntry, MemoryDelivery> deliveryFactory) {
		MemoryEntry entry = this.pending.removeFirst();
		MemoryDelivery delivery = deliveryFactory.apply(entry);
		entry.delivery(delivery);
		this.current = delivery;
		return delivery;
	}

	/**
	 * Whether a delivery is the one in flight on this lane.
	 * @param delivery the delivery
	 * @return whether it is current
	 */
	boolean isCurrent(MemoryDelivery delivery) {
		return this.current == delivery;
	}

	/**
	 * End the delivery in flight; with {@code putBack} its message goes back to the head of the lane.
	 * @param delivery the current delivery
	 * @param putBack whether the message is delivered again
	 */
	void finish(MemoryDelivery delivery, boolean putBack) {
		this.current = null;
		delivery.entry().delivery(null);
		if (putBack) {
			this.pending.addFirst(delivery.entry());
		}
	}

	/**
	 * Remove a message that waits in this lane and is not in flight.
	 * @param entry the message
	 * @return whether it was waiting here
	 */
	boolean removeWaiting(MemoryEntry entry) {
		return entry.delivery() == null && this.pending.removeFirstOccurrence(entry);
	}

	/**
	 * Drop every waiting message.
	 * @return how many were dropped
	 */
	int clear() {
		int dropped = this.pending.size();
		this.pending.clear();
		return dropped;
	}

	/**
	 * Mark a delivery as running on the drain task of this lane: settling it on that thread lets
	 * the same task go on with the next message instead of scheduling a new one.
	 * @param delivery the delivery, or {@code null}
	 */
	void inline(@Nullable MemoryDelivery delivery) {
		this.inline = delivery;
	}

	/**
	 * Whether a delivery is the one the drain task of this lane is running.
	 * @param delivery the delivery
	 * @return whether it is inline
	 */
	boolean isInline(MemoryDelivery delivery) {
		return this.inline == delivery;
	}

	void drainScheduled(boolean drainScheduled) {
		this.drainScheduled = drainScheduled;
	}

	void waitingForRetry(boolean waitingForRetry) {
		this.waitingForRetry = waitingForRetry;
	}

	/**
	 * Whether a drain task should be scheduled: messages wait and nothing is scheduled, in flight or
	 * waiting for a retry delay.
	 * @return whether the lane needs a drain task
	 */
	boolean needsDrain() {
		return this.current == null && this.inline == null && !this.drainScheduled && !this.waitingForRetry
				&& !this.pending.isEmpty();
	}

	/**
	 * Whether the lane has nothing to deliver, in flight or waiting for a retry delay.
	 * @return whether it is idle
	 */
	boolean isIdle() {
		return this.current == null && !this.waitingForRetry && this.pending.isEmpty();
	}

	/**
	 * Whether a drain task may deliver the next message now.
	 * @return whether a message is ready
	 */
	boolean ready() {
		return this.current == null && !this.waitingForRetry && !this.pending.isEmpty();
	}

}
