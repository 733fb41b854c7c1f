package dev.eventbus.memory;

import java.util.ArrayDeque;
import java.util.Iterator;

import org.jspecify.annotations.Nullable;

/**
 * One serial queue of a consumer group: the messages of the keys that hash to it, delivered one at
 * a time in order. A lane is busy while a drain task is scheduled, while a delivery is in flight and
 * while a retried message waits for its delay; only an idle lane gets a new drain task.
 * <p>
 * Publishers add messages without a lock, to a {@link LaneInbox} (a multi-producer,
 * single-consumer array queue) that the lane moves to its queue in one step when the queue runs
 * empty. A publisher that finds the lane busy leaves the message there: whatever keeps the lane
 * busy (its drain task, the settlement of its delivery, its retry timer) looks at the inbox later.
 * A publisher that finds it idle takes the monitor to schedule a drain task. Every other method is
 * called inside {@code synchronized (lane)}; the busy flag is written there, after which the
 * inbox is checked again, so a message is never left in the inbox of an idle lane.
 */
final class MemoryLane {

	/** Messages added and not yet moved to {@link #pending}, and the busy flag publishers read. */
	private final LaneInbox inbox = new LaneInbox();

	private int nextMember;

	private final ArrayDeque<MemoryEntry> pending = new ArrayDeque<>();

	private @Nullable MemoryDelivery current;

	private boolean drainScheduled;

	private @Nullable MemoryDelivery inline;

	private boolean waitingForRetry;

	/** Messages acknowledged whose room was not yet returned to the group. */
	private int unfreed;

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
		takeArrivals();
		return this.pending.size();
	}

	/**
	 * The inbox senders push messages onto, without the lock; a push that finds the lane idle must
	 * be followed by scheduling the lane under its monitor.
	 * @return the inbox
	 */
	LaneInbox inbox() {
		return this.inbox;
	}

	/**
	 * Whether messages were added that the lane has not taken yet. Safe to read without the lock.
	 * @return whether the inbox holds messages
	 */
	boolean hasArrivals() {
		return this.inbox.hasArrivals();
	}

	/**
	 * How many messages were added that the lane has not taken yet, counting those whose slot was
	 * claimed before they are visible there. Safe to read without the lock.
	 * @return the number of arrivals
	 */
	int arrivals() {
		return this.inbox.arrivals();
	}

	/**
	 * Move the messages added since the last call and visible by now to the end of the queue,
	 * oldest first. Done only when the queue is empty, so the inbox, which publishers write, is
	 * read once per batch. A message whose publisher claimed its slot but has not stored it yet
	 * is left for later: {@link #publishBusy()}, which every change that may leave the lane idle
	 * ends with, waits for it.
	 */
	private void takeArrivalsIfEmpty() {
		if (this.pending.isEmpty()) {
			this.inbox.takeVisible(this.pending);
		}
	}

	/**
	 * Move the inbox to the end of the queue, oldest first. The entries are only read: they were
	 * allocated by publishers, next to what they are still writing, so the drain thread does not
	 * write to them on its steady path.
	 */
	private void takeArrivals() {
		this.inbox.takeAll(this.pending);
	}

	/**
	 * Record whether the lane is busy, for publishers to read. Called at the end of every change
	 * made under the monitor that may leave the lane idle.
	 * @return {@code true} if the lane is busy or nothing arrived meanwhile; {@code false} if it is
	 * idle and messages arrived, which were moved to the queue and need scheduling
	 */
	boolean publishBusy() {
		boolean busy = this.current != null || this.inline != null || this.drainScheduled || this.waitingForRetry;
		this.inbox.busy(busy);
		if (busy || !this.inbox.hasArrivals()) {
			return true;
		}
		takeArrivals();
		return false;
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
	 * @param group the group of this lane
	 * @param member the member to deliver to
	 * @return the delivery
	 */
	MemoryDelivery start(MemoryGroup group, MemorySubscription member) {
		MemoryEntry entry = this.pending.removeFirst();
		MemoryDelivery delivery = new MemoryDelivery(group, this, entry, member, entry.attempt(),
				this.pending.isEmpty());
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
		if (putBack) {
			delivery.entry().redelivered();
			this.pending.addFirst(delivery.entry());
		}
	}

	/**
	 * Remove a message that waits in this lane and is not in flight. Found by identity: entries
	 * are equal to any send result of the same position.
	 * @param entry the message
	 * @return whether it was waiting here
	 */
	boolean removeWaiting(MemoryEntry entry) {
		for (Iterator<MemoryEntry> waiting = this.pending.iterator(); waiting.hasNext();) {
			if (waiting.next() == entry) {
				waiting.remove();
				return true;
			}
		}
		return false;
	}

	/**
	 * Drop every waiting message.
	 * @return how many were dropped
	 */
	int clear() {
		takeArrivals();
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

	/**
	 * Count an acknowledged message whose room the group returns later.
	 * @return how many such messages the lane holds
	 */
	int freeLater() {
		return ++this.unfreed;
	}

	/**
	 * Take the count of acknowledged messages whose room was not returned yet.
	 * @return the count, now zero in the lane
	 */
	int takeUnfreed() {
		int unfreed = this.unfreed;
		this.unfreed = 0;
		return unfreed;
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
		takeArrivalsIfEmpty();
		return this.current == null && this.inline == null && !this.drainScheduled && !this.waitingForRetry
				&& !this.pending.isEmpty();
	}

	/**
	 * Whether the lane has nothing to deliver, in flight or waiting for a retry delay.
	 * @return whether it is idle
	 */
	boolean isIdle() {
		takeArrivalsIfEmpty();
		return this.current == null && !this.waitingForRetry && this.pending.isEmpty();
	}

	/**
	 * Whether a drain task may deliver the next message now.
	 * @return whether a message is ready
	 */
	boolean ready() {
		takeArrivalsIfEmpty();
		return this.current == null && !this.waitingForRetry && !this.pending.isEmpty();
	}

}
