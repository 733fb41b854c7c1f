package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.eventbus.spi.BatchSpec;
import org.jspecify.annotations.Nullable;

/**
 * One lane of a consumer group: a queue of messages delivered in order, one batch at a
 * time. Every message of a key goes to the same lane, so a key's messages are handled in
 * order while lanes proceed in parallel. Without a {@link BatchSpec batch} a batch is one
 * message, handed to {@code onDelivery}; with one, a batch is up to its maximum size,
 * handed to {@code onBatch} as soon as that many are queued or its maximum wait has
 * passed since the first of them was queued.
 * <p>
 * A lane has at most one batch in flight. Delivering is a task run on the group's
 * executor, started when a message is queued or a batch settled and there is a member to
 * deliver to; it delivers batch after batch as long as each is settled before the
 * listener returns, and ends when the lane is empty, a batch stays unsettled, or it has
 * delivered {@link #ROUNDS} batches (then it gives its thread back and starts again).
 * Once every message of a batch is settled, those given back return to the head of the
 * lane, in their order, after the longest of their delays, ahead of the messages behind
 * them; meanwhile the lane waits.
 * <p>
 * Thread safe: one lock, this lane's monitor, guards the queue and the batch in flight.
 */
final class MemoryLane {

	/** Batches one task delivers before it gives its thread back to the executor. */
	private static final int ROUNDS = 64;

	private final MemoryGroup group;

	private final @Nullable BatchSpec batch;

	private final Deque<MemoryEntry> queue = new ArrayDeque<>();

	/** When the oldest message now queued was queued, for the batch's maximum wait. */
	private long firstQueuedAt;

	/**
	 * The batch handed to a member: its deliveries not yet settled, then, once all are,
	 * those given back while it waits for their delay. Empty when none is in flight.
	 */
	private final List<MemoryDelivery> inFlight = new ArrayList<>();

	private int unsettled;

	/** The longest delay asked for by the deliveries of the batch given back. */
	private @Nullable Duration retryDelay;

	/** Whether a delivering task is submitted or running. */
	private boolean delivering;

	/**
	 * Whether a task is scheduled to deliver a batch that was not full when its wait
	 * ends.
	 */
	private boolean waitingToFill;

	/**
	 * Counts the delivering tasks superseded because their member left while its listener
	 * still held their batch: such a task stops at its next step, and a new one takes
	 * over.
	 */
	private long generation;

	MemoryLane(MemoryGroup group, @Nullable BatchSpec batch) {
		this.group = group;
		this.batch = batch;
	}

	void add(MemoryEntry entry) {
		boolean start;
		synchronized (this) {
			if (this.queue.isEmpty()) {
				this.firstQueuedAt = System.nanoTime();
			}
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

	/** Messages waiting for delivery, those in flight not included. */
	synchronized int queued() {
		return this.queue.size();
	}

	/** Messages in flight: not yet settled, or waiting for their retry delay. */
	synchronized int inFlight() {
		return this.inFlight.size();
	}

	/** Drop every queued message; the group is shutting down. */
	synchronized int clear() {
		int dropped = this.queue.size() + this.inFlight.size();
		this.queue.clear();
		this.inFlight.clear();
		this.unsettled = 0;
		return dropped;
	}

	private void deliver() {
		long task;
		synchronized (this) {
			task = this.generation;
		}
		for (int round = 0; round < ROUNDS; round++) {
			List<MemoryDelivery> deliveries;
			MemorySubscription member;
			synchronized (this) {
				if (task != this.generation) {
					return;
				}
				member = (this.inFlight.isEmpty() && !this.queue.isEmpty()) ? this.group.nextMember() : null;
				if (member == null) {
					this.delivering = false;
					return;
				}
				int size = Math.min(this.queue.size(), (this.batch != null) ? this.batch.maxSize() : 1);
				for (int i = 0; i < size; i++) {
					this.inFlight.add(new MemoryDelivery(this.queue.removeFirst(), this, member));
				}
				this.unsettled = size;
				this.retryDelay = null;
				deliveries = List.copyOf(this.inFlight);
			}
			if (this.batch != null) {
				member.deliver(deliveries);
			}
			else {
				member.deliver(deliveries.get(0));
			}
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
	 * Settle a delivery: the first call for a delivery of the batch in flight counts. An
	 * acknowledgement frees its room in the group; a retry keeps it in the batch until
	 * all of the batch is settled, then it goes back to the head after the longest delay.
	 * @param delivery the delivery
	 * @param delay the delay before redelivery, or {@code null} to acknowledge
	 */
	void settle(MemoryDelivery delivery, @Nullable Duration delay) {
		boolean start;
		synchronized (this) {
			if (delivery.settled || !this.inFlight.contains(delivery)) {
				settleHandedBack(delivery, delay);
				return;
			}
			delivery.settled = true;
			delivery.subscription().settled();
			this.unsettled--;
			if (delay == null) {
				this.inFlight.remove(delivery);
				this.group.release();
			}
			else if (this.retryDelay == null || delay.compareTo(this.retryDelay) > 0) {
				this.retryDelay = delay;
			}
			if (this.unsettled > 0) {
				return;
			}
			if (this.retryDelay != null && !this.retryDelay.isZero()) {
				long batch = this.generation;
				CompletableFuture
					.delayedExecutor(this.retryDelay.toNanos(), TimeUnit.NANOSECONDS, this.group.executor())
					.execute(() -> redeliver(batch));
				return;
			}
			requeueInFlight();
			start = claimDelivering();
		}
		startIf(start);
	}

	private void redeliver(long batch) {
		boolean start;
		synchronized (this) {
			if (this.generation != batch || this.unsettled > 0) {
				return;
			}
			requeueInFlight();
			start = claimDelivering();
		}
		startIf(start);
	}

	/** Put the deliveries of the batch in flight back at the head, in their order. */
	private void requeueInFlight() {
		for (int i = this.inFlight.size() - 1; i >= 0; i--) {
			this.queue.addFirst(this.inFlight.get(i).entry().nextAttempt());
		}
		this.inFlight.clear();
		this.unsettled = 0;
		this.retryDelay = null;
	}

	/**
	 * Give the batch in flight back to the lane if a closing member still holds it, for
	 * another member or the next to join.
	 * @param member the member that left
	 */
	void handBack(MemorySubscription member) {
		boolean start;
		synchronized (this) {
			if (this.inFlight.isEmpty() || this.inFlight.get(0).subscription() != member || this.unsettled == 0) {
				return;
			}
			requeueInFlight();
			this.generation++;
			this.delivering = false;
			start = claimDelivering();
		}
		startIf(start);
	}

	/** A late acknowledgement of a handed-back message still queued removes it. */
	private void settleHandedBack(MemoryDelivery delivery, @Nullable Duration delay) {
		if (delay != null) {
			return;
		}
		Iterator<MemoryEntry> queued = this.queue.iterator();
		int batchSize = (this.batch != null) ? this.batch.maxSize() : 1;
		for (int i = 0; i < batchSize && queued.hasNext(); i++) {
			MemoryEntry entry = queued.next();
			if (entry.sequence() == delivery.entry().sequence() && entry.message() == delivery.entry().message()) {
				queued.remove();
				this.group.release();
				return;
			}
		}
	}

	/**
	 * Whether the caller should start a delivering task; called holding the lock. A batch
	 * that is not full waits until its maximum wait has passed.
	 */
	private boolean claimDelivering() {
		if (this.delivering || !this.inFlight.isEmpty() || this.queue.isEmpty() || !this.group.hasMembers()) {
			return false;
		}
		if (this.batch != null && this.queue.size() < this.batch.maxSize()) {
			long waited = System.nanoTime() - this.firstQueuedAt;
			long left = this.batch.maxWait().toNanos() - waited;
			if (left > 0) {
				if (!this.waitingToFill) {
					this.waitingToFill = true;
					CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS, this.group.executor())
						.execute(this::filled);
				}
				return false;
			}
		}
		this.delivering = true;
		return true;
	}

	private void filled() {
		boolean start;
		synchronized (this) {
			this.waitingToFill = false;
			start = claimDelivering();
		}
		startIf(start);
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
