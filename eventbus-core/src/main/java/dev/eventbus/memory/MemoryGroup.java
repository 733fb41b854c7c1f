package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * A consumer group of one destination: a bounded queue split into lanes, and the members that
 * compete for its messages.
 * <p>
 * A message goes to lane {@code hash(key) % lanes} (messages without a key go round robin). A lane
 * delivers one message at a time, to one live member chosen round robin, and only after the
 * previous one was settled, so messages of one key are handled in order and never concurrently.
 * The number of lanes is the concurrency of the subscription that created the group and never
 * changes. Messages wait in their lane while the group has no member.
 * <p>
 * Capacity counts messages queued and in flight; a permit is taken by the sender before a message
 * is enqueued and returned when the message is acknowledged or dropped. Thread safe: the lanes,
 * the members and their in-flight deliveries are guarded by one lock, never held while a listener
 * runs.
 */
final class MemoryGroup {

	private static final int DRAIN_BATCH = 256;

	private final String destination;

	private final String name;

	private final int capacity;

	private final Semaphore permits;

	private final MemoryLane[] lanes;

	private final MemoryWorkers workers;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition settled = this.lock.newCondition();

	private final List<MemorySubscription> members = new ArrayList<>();

	private int nextMember;

	private int nextLane;

	private int queued;

	private int inFlight;

	private boolean closed;

	MemoryGroup(String destination, String name, int lanes, int capacity, MemoryWorkers workers) {
		this.destination = destination;
		this.name = name;
		this.capacity = capacity;
		this.permits = new Semaphore(capacity);
		this.lanes = new MemoryLane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new MemoryLane();
		}
		this.workers = workers;
	}

	String name() {
		return this.name;
	}

	int capacity() {
		return this.capacity;
	}

	/**
	 * Take room for one message, waiting up to the timeout.
	 * @param timeoutNanos the longest wait
	 * @return whether room was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean reserve(long timeoutNanos) throws InterruptedException {
		return this.permits.tryAcquire(Math.max(timeoutNanos, 0), TimeUnit.NANOSECONDS);
	}

	/**
	 * Return room taken by {@link #reserve(long)} for a message that was not enqueued.
	 */
	void unreserve() {
		this.permits.release();
	}

	/**
	 * Queue a message for which room was reserved.
	 * @param message the message
	 * @param sequence its position in the destination
	 */
	void enqueue(OutboundMessage message, long sequence) {
		this.lock.lock();
		try {
			if (this.closed) {
				this.permits.release();
				return;
			}
			MemoryLane lane = laneFor(message.key());
			lane.add(new MemoryEntry(message, sequence));
			this.queued++;
			schedule(lane);
		}
		finally {
			this.lock.unlock();
		}
	}

	private MemoryLane laneFor(@Nullable String key) {
		if (this.lanes.length == 1) {
			return this.lanes[0];
		}
		if (key == null) {
			this.nextLane = (this.nextLane + 1) % this.lanes.length;
			return this.lanes[this.nextLane];
		}
		int hash = key.hashCode();
		return this.lanes[Math.floorMod(hash ^ (hash >>> 16), this.lanes.length)];
	}

	/**
	 * Add a member; lanes that waited for one start delivering.
	 * @param member the member
	 * @return the member
	 */
	MemorySubscription join(MemorySubscription member) {
		this.lock.lock();
		try {
			if (this.closed) {
				throw new IllegalStateException("In-memory adapter closed: cannot subscribe to '" + this.destination
						+ "' as group '" + this.name + "'");
			}
			this.members.add(member);
			for (MemoryLane lane : this.lanes) {
				schedule(lane);
			}
			return member;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Remove a member, wait up to the timeout for its deliveries to be settled, then hand the
	 * unsettled ones back to their lanes.
	 * @param member the member
	 * @param drainTimeout the longest wait
	 */
	void leave(MemorySubscription member, Duration drainTimeout) {
		this.lock.lock();
		try {
			this.members.remove(member);
			long remaining = drainTimeout.toNanos();
			while (!member.inFlight().isEmpty() && remaining > 0) {
				remaining = awaitSettlement(remaining);
			}
			for (MemoryDelivery delivery : List.copyOf(member.inFlight())) {
				finish(delivery, true);
				if (delivery.lane().isInline(delivery)) {
					delivery.lane().inline(null);
				}
				schedule(delivery.lane());
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private long awaitSettlement(long nanos) {
		try {
			return this.settled.awaitNanos(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	void ack(MemoryDelivery delivery) {
		this.lock.lock();
		try {
			MemoryLane lane = delivery.lane();
			if (lane.isCurrent(delivery)) {
				finish(delivery, false);
				this.permits.release();
				scheduleUnlessInline(lane, delivery);
			}
			else if (lane.removeWaiting(delivery.entry())) {
				this.queued--;
				this.permits.release();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void retry(MemoryDelivery delivery, Duration delay) {
		this.lock.lock();
		try {
			MemoryLane lane = delivery.lane();
			if (!lane.isCurrent(delivery)) {
				return;
			}
			finish(delivery, true);
			if (delay.isNegative() || delay.isZero() || this.closed) {
				scheduleUnlessInline(lane, delivery);
			}
			else {
				lane.waitingForRetry(true);
				if (!this.workers.schedule(() -> retryDue(lane), delay)) {
					lane.waitingForRetry(false);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void retryDue(MemoryLane lane) {
		this.lock.lock();
		try {
			lane.waitingForRetry(false);
			schedule(lane);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void finish(MemoryDelivery delivery, boolean putBack) {
		delivery.lane().finish(delivery, putBack);
		delivery.member().inFlight().remove(delivery);
		this.inFlight--;
		if (putBack) {
			this.queued++;
		}
		this.settled.signalAll();
	}

	private void scheduleUnlessInline(MemoryLane lane, MemoryDelivery delivery) {
		if (!lane.isInline(delivery)) {
			schedule(lane);
		}
	}

	private void schedule(MemoryLane lane) {
		if (!this.closed && lane.needsDrain() && !this.members.isEmpty()) {
			lane.drainScheduled(true);
			if (!this.workers.execute(() -> drain(lane))) {
				lane.drainScheduled(false);
			}
		}
	}

	private void drain(MemoryLane lane) {
		int budget = DRAIN_BATCH;
		MemoryDelivery delivery = start(lane, null);
		while (delivery != null) {
			delivery.member().deliver(delivery);
			delivery = start(lane, delivery);
			if (--budget == 0 && delivery != null) {
				delivery.member().deliver(delivery);
				release(lane, delivery);
				return;
			}
		}
	}

	/**
	 * Start the next delivery of a lane on the drain task. After a delivery that was settled on
	 * this thread the task goes on with the next message; otherwise it ends and the settlement (or
	 * a hand-back on close) schedules the next task.
	 * @param lane the lane
	 * @param previous the delivery this task ran last, or {@code null} at the start of the task
	 * @return the delivery to run, or {@code null} when the task ends
	 */
	private @Nullable MemoryDelivery start(MemoryLane lane, @Nullable MemoryDelivery previous) {
		this.lock.lock();
		try {
			if (previous == null) {
				lane.drainScheduled(false);
			}
			else if (!lane.isInline(previous)) {
				return null;
			}
			lane.inline(null);
			if (this.closed || !lane.ready() || this.members.isEmpty()) {
				schedule(lane);
				return null;
			}
			this.nextMember = (this.nextMember + 1) % this.members.size();
			MemorySubscription member = this.members.get(this.nextMember);
			MemoryDelivery delivery = lane.start((entry) -> new MemoryDelivery(this, lane, entry, member,
					entry.nextAttempt()));
			member.inFlight().add(delivery);
			this.queued--;
			this.inFlight++;
			lane.inline(delivery);
			return delivery;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void release(MemoryLane lane, MemoryDelivery delivery) {
		this.lock.lock();
		try {
			if (lane.isInline(delivery)) {
				lane.inline(null);
				schedule(lane);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close every member at once and drop what is queued.
	 */
	void shutdown() {
		List<MemorySubscription> remaining;
		this.lock.lock();
		try {
			remaining = List.copyOf(this.members);
		}
		finally {
			this.lock.unlock();
		}
		remaining.forEach((member) -> member.close(Duration.ZERO));
		this.lock.lock();
		try {
			this.closed = true;
			for (MemoryLane lane : this.lanes) {
				int dropped = lane.clear();
				this.permits.release(dropped);
				this.queued -= dropped;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	int queued() {
		this.lock.lock();
		try {
			return this.queued;
		}
		finally {
			this.lock.unlock();
		}
	}

	Map<String, Object> details() {
		this.lock.lock();
		try {
			return Map.of("queued", this.queued, "inFlight", this.inFlight, "members", this.members.size(), "lanes",
					this.lanes.length, "capacity", this.capacity);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "MemoryGroup[destination=" + this.destination + ", name=" + this.name + ", lanes=" + this.lanes.length
				+ "]";
	}

}
