package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One lane of a consumer group: a queue of messages delivered one at a time, in order.
 * Every message of a key goes to the same lane, so a key's messages are handled in order,
 * one at a time, while lanes proceed in parallel.
 * <p>
 * A lane has at most one delivery in flight. Delivering is a task run on the group's
 * executor, started when a message is queued or settled and there is a member to deliver
 * to; it delivers message after message as long as each is settled before the listener
 * returns, and ends when the lane is empty, a delivery stays unsettled, or it has
 * delivered {@link #BATCH} messages (then it gives its thread back and starts again). A
 * retried message goes back to the head of the lane after its delay, ahead of the
 * messages behind it; meanwhile the lane waits.
 * <p>
 * Thread safe: one lock, this lane's monitor, guards the queue and the delivery in
 * flight.
 */
final class MemoryLane {

	/** Messages one task delivers before it gives its thread back to the executor. */
	private static final int BATCH = 64;

	private final MemoryGroup group;

	private final Deque<MemoryEntry> queue = new ArrayDeque<>();

	/**
	 * The delivery handed to a member and not yet settled, or waiting for its retry
	 * delay.
	 */
	private @Nullable MemoryDelivery inFlight;

	/** Whether a delivering task is submitted or running. */
	private boolean delivering;

	/**
	 * Counts the delivering tasks superseded because their member left while its listener
	 * still held them: such a task stops at its next step, and a new one takes over.
	 */
	private long generation;

	MemoryLane(MemoryGroup group) {
		this.group = group;
	}

	void add(MemoryEntry entry) {
		boolean start;
		synchronized (this) {
			this.queue.addLast(entry);
			start = claimDelivering();
		}
		startIf(start);
	}

	/** Start delivering if queued messages can flow: called when a member joins. */
	void wake() {
		boolean start;
		synchronized (this) {
			start = claimDelivering();
		}
		startIf(start);
	}

	/** Messages waiting for delivery, the one in flight not included. */
	synchronized int queued() {
		return this.queue.size();
	}

	/** Whether a delivery is in flight or waiting for its retry delay. */
	synchronized boolean busy() {
		return this.inFlight != null;
	}

	/** Drop every queued message; the group is shutting down. */
	synchronized int clear() {
		int dropped = this.queue.size() + ((this.inFlight != null) ? 1 : 0);
		this.queue.clear();
		this.inFlight = null;
		return dropped;
	}

	private void deliver() {
		long task;
		synchronized (this) {
			task = this.generation;
		}
		for (int i = 0; i < BATCH; i++) {
			MemoryDelivery delivery;
			synchronized (this) {
				if (task != this.generation) {
					return;
				}
				MemorySubscription member = (this.inFlight == null && !this.queue.isEmpty()) ? this.group.nextMember()
						: null;
				if (member == null) {
					this.delivering = false;
					return;
				}
				delivery = new MemoryDelivery(this.queue.removeFirst(), this, member);
				this.inFlight = delivery;
			}
			delivery.subscription().deliver(delivery);
		}
		boolean again;
		synchronized (this) {
			if (task != this.generation) {
				return;
			}
			this.delivering = false;
			again = claimDelivering();
		}
		startIf(again);
	}

	/**
	 * Settle a delivery: the first call for the delivery in flight counts. An
	 * acknowledgement frees its room in the group; a retry puts the message back at the
	 * head after the delay.
	 * @param delivery the delivery
	 * @param retryDelay the delay before redelivery, or {@code null} to acknowledge
	 */
	void settle(MemoryDelivery delivery, @Nullable Duration retryDelay) {
		boolean start;
		synchronized (this) {
			if (this.inFlight != delivery || delivery.settled) {
				settleHandedBack(delivery, retryDelay);
				return;
			}
			delivery.settled = true;
			delivery.subscription().settled();
			if (retryDelay == null) {
				this.inFlight = null;
				this.group.release();
			}
			else if (retryDelay.isZero()) {
				this.inFlight = null;
				this.queue.addFirst(delivery.entry().nextAttempt());
			}
			else {
				CompletableFuture.delayedExecutor(retryDelay.toNanos(), TimeUnit.NANOSECONDS, this.group.executor())
					.execute(() -> redeliver(delivery));
				return;
			}
			start = claimDelivering();
		}
		startIf(start);
	}

	private void redeliver(MemoryDelivery delivery) {
		boolean start;
		synchronized (this) {
			if (this.inFlight != delivery) {
				return;
			}
			this.inFlight = null;
			this.queue.addFirst(delivery.entry().nextAttempt());
			start = claimDelivering();
		}
		startIf(start);
	}

	/**
	 * Give the delivery in flight back to the lane if a closing member still holds it,
	 * for another member or the next to join.
	 * @param member the member that left
	 */
	void handBack(MemorySubscription member) {
		boolean start;
		synchronized (this) {
			MemoryDelivery delivery = this.inFlight;
			if (delivery == null || delivery.subscription() != member || delivery.settled) {
				return;
			}
			this.inFlight = null;
			this.queue.addFirst(delivery.entry().nextAttempt());
			this.generation++;
			this.delivering = false;
			start = claimDelivering();
		}
		startIf(start);
	}

	/** A late acknowledgement of a handed-back message still at the head removes it. */
	private void settleHandedBack(MemoryDelivery delivery, @Nullable Duration retryDelay) {
		MemoryEntry head = this.queue.peekFirst();
		if (retryDelay == null && head != null && head.sequence() == delivery.entry().sequence()
				&& head.message() == delivery.entry().message()) {
			this.queue.removeFirst();
			this.group.release();
		}
	}

	/** Whether the caller should start a delivering task; called holding the lock. */
	private boolean claimDelivering() {
		if (this.delivering || this.inFlight != null || this.queue.isEmpty() || !this.group.hasMembers()) {
			return false;
		}
		this.delivering = true;
		return true;
	}

	private void startIf(boolean start) {
		if (start) {
			try {
				this.group.executor().execute(this::deliver);
			}
			catch (RejectedExecutionException ex) {
				synchronized (this) {
					this.delivering = false;
				}
			}
		}
	}

}
