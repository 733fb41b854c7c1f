package dev.eventbus.memory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.Map;
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
 * Capacity counts messages reserved, queued and in flight: room is taken by the sender before a
 * message is enqueued and freed when the message is acknowledged or dropped, returned to the group
 * {@link #FREE_BATCH} messages at a time unless a sender waits. Only a sender that finds the group
 * full takes the group's lock, to wait for room, after reclaiming the room lanes hold back.
 * <p>
 * Senders push messages onto a lane's lock-free inbox and enter the lane's monitor only when the
 * lane is idle, to schedule a drain task (see {@link MemoryLane}). Lanes are drained by tasks on
 * the shared pool. A task goes on with the next message of its lane after a delivery that was
 * settled on its own thread; such an acknowledgement is recorded without a lock and applied when
 * the task takes the lane's next message. A task that finds its lane empty waits briefly for more
 * (at most {@link #LINGER_NANOS}, yielding the processor) before it returns its thread, so a
 * publisher that keeps pace does not pay a thread wake-up per message. A task that ran the last
 * queued message while more arrived lets them pile up to {@link #GATHER_BATCH} before taking them
 * (see {@link #gatherWait}), so that they come over in batches rather than a few at a time. A busy
 * lane keeps its task, and so its thread, until tasks of other lanes wait for a thread: only then
 * does it hand over to a new task after {@link #DRAIN_BATCH} deliveries, to be fair to them.
 * <p>
 * Thread safe. Each lane's queue and delivery are guarded by the lane's monitor, which only its
 * drain task and settlements take on the steady path, so lanes never contend with each other;
 * membership changes and waits for room take the group's lock. No lock is held while a listener
 * runs.
 */
final class MemoryGroup {

	/**
	 * Deliveries a drain task makes before it hands its lane to a new task, when tasks of other
	 * lanes wait for a thread.
	 */
	private static final int DRAIN_BATCH = 256;

	/**
	 * How many arrivals a drain task that ran its lane's last queued message, while more arrived
	 * meanwhile, lets pile up before it takes them. Every batch moves a few cache lines between the
	 * publishing and the handling core: the inbox's producer index, the slots last written and
	 * the events last allocated. Taken a few at a time, that costs the publisher more per event
	 * than the rest of a publish when the two cores are far apart (on another CCX or socket, as a
	 * virtual machine's processors can be from one minute to the next), which makes the batches
	 * smaller still.
	 */
	static final int GATHER_BATCH = 64;

	/** The longest a drain task waits for {@link #GATHER_BATCH} arrivals. */
	static final long GATHER_MAX_NANOS = 16_000;

	/** How long a drain task waits for arrivals when it has not timed any yet. */
	static final long GATHER_UNTIMED_NANOS = 1_000;

	/** How long a drain task that ran out of messages waits for more before it ends. */
	static final long LINGER_NANOS = 50_000;

	private static final long LEAVE_POLL_NANOS = 1_000_000;

	/**
	 * Room freed by acknowledgements is returned to the group this many messages at a time, at once
	 * while a sender waits for room, and by a sender that finds the group full, so the counter that
	 * senders update is not written by both sides for every message.
	 */
	private static final int FREE_BATCH = 128;

	private final String destination;

	private final String name;

	private final int capacity;

	private final MemoryLane[] lanes;

	/**
	 * The inboxes of the lanes, by lane index: senders reach them without reading the lanes'
	 * own fields, which the drain threads write.
	 */
	private final LaneInbox[] inboxes;

	private final MemoryWorkers workers;

	/** Guards membership changes and waits for room. */
	private final ReentrantLock lock = new ReentrantLock();

	private final Condition roomFreed = this.lock.newCondition();

	/**
	 * Senders that found the group full; while positive, acknowledgements return room at once.
	 * Padded, like {@link #used}, which follows it.
	 */
	private final AtomicInteger waitingForRoom = new PaddedAtomicInteger();

	/**
	 * Room taken: written by senders for every message, so on a cache line of its own, away from
	 * what the drain threads read and write.
	 */
	private final AtomicInteger used = new PaddedAtomicInteger();

	private final AtomicInteger nextLane = new AtomicInteger();

	private volatile MemorySubscription[] members = new MemorySubscription[0];

	private volatile boolean closed;

	MemoryGroup(String destination, String name, int lanes, int capacity, MemoryWorkers workers) {
		this.destination = destination;
		this.name = name;
		this.capacity = capacity;
		this.lanes = new MemoryLane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new MemoryLane();
		}
		// allocated after the lanes, behind the last inbox's padding, so that the array senders read
		// for every message does not share a cache line with a lane's fields
		this.inboxes = new LaneInbox[lanes];
		for (int i = 0; i < lanes; i++) {
			this.inboxes[i] = this.lanes[i].inbox();
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
		if (tryReserve()) {
			return true;
		}
		long deadline = System.nanoTime() + timeoutNanos;
		this.waitingForRoom.incrementAndGet();
		try {
			reclaimRoom();
			if (tryReserve()) {
				return true;
			}
			this.lock.lockInterruptibly();
			try {
				while (!tryReserve()) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					this.roomFreed.awaitNanos(remaining);
				}
				return true;
			}
			finally {
				this.lock.unlock();
			}
		}
		finally {
			this.waitingForRoom.decrementAndGet();
		}
	}

	/**
	 * Return the room of messages acknowledged on lanes that hold it back; lanes return it
	 * themselves while {@link #waitingForRoom} is positive.
	 */
	private void reclaimRoom() {
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				free(lane.takeUnfreed());
			}
		}
	}

	private boolean tryReserve() {
		int current = this.used.get();
		while (current < this.capacity) {
			int witness = this.used.compareAndExchange(current, current + 1);
			if (witness == current) {
				return true;
			}
			current = witness;
		}
		return false;
	}

	/**
	 * Return room taken by {@link #reserve(long)} for a message that was not enqueued.
	 */
	void unreserve() {
		free(1);
	}

	private void free(int messages) {
		if (messages == 0) {
			return;
		}
		this.used.addAndGet(-messages);
		if (this.waitingForRoom.get() > 0) {
			this.lock.lock();
			try {
				this.roomFreed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Queue a message for which room was reserved.
	 * @param entry the message, numbered in its destination; an entry of this group only
	 */
	void enqueue(MemoryEntry entry) {
		int index = laneIndex(entry.message().key());
		// the array of lanes is read only when a lane's monitor is needed: the drain task writes the
		// lane's header and fields for every message, and the first lane follows the array in memory,
		// on the same cache line, so reading the array for every message moved that line between
		// the publishing and the handling cores twice per message
		if (!this.inboxes[index].push(entry)) {
			MemoryLane lane = this.lanes[index];
			synchronized (lane) {
				schedule(lane);
			}
		}
		if (this.closed) {
			MemoryLane lane = this.lanes[index];
			synchronized (lane) {
				free(lane.clear());
			}
		}
	}

	private int laneIndex(@Nullable String key) {
		int lanes = this.inboxes.length;
		if (lanes == 1) {
			return 0;
		}
		if (key == null) {
			return Math.floorMod(this.nextLane.getAndIncrement(), lanes);
		}
		int hash = key.hashCode();
		return Math.floorMod(hash ^ (hash >>> 16), lanes);
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
			MemorySubscription[] joined = Arrays.copyOf(this.members, this.members.length + 1);
			joined[joined.length - 1] = member;
			this.members = joined;
		}
		finally {
			this.lock.unlock();
		}
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				schedule(lane);
			}
		}
		return member;
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
			this.members = Arrays.stream(this.members)
				.filter((candidate) -> candidate != member)
				.toArray(MemorySubscription[]::new);
		}
		finally {
			this.lock.unlock();
		}
		long deadline = System.nanoTime() + drainTimeout.toNanos();
		while (hasInFlight(member) && deadline - System.nanoTime() > 0) {
			LockSupport.parkNanos(Math.min(LEAVE_POLL_NANOS, deadline - System.nanoTime()));
			if (Thread.currentThread().isInterrupted()) {
				break;
			}
		}
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				MemoryDelivery delivery = lane.current();
				if (delivery == null || delivery.member() != member) {
					continue;
				}
				if (delivery.takeInlineAck()) {
					applyAck(delivery);
				}
				else {
					finish(delivery, true);
					if (lane.isInline(delivery)) {
						lane.inline(null);
					}
					schedule(lane);
				}
			}
		}
	}

	private boolean hasInFlight(MemorySubscription member) {
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				MemoryDelivery delivery = lane.current();
				if (delivery != null && delivery.member() == member && !delivery.isAckedInline()) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Acknowledge a delivery. On the drain task that runs it, the acknowledgement is only recorded,
	 * and applied when the task takes its lane's next message.
	 * @param delivery the delivery
	 */
	void ack(MemoryDelivery delivery) {
		if (delivery.ackInline()) {
			return;
		}
		MemoryLane lane = delivery.lane();
		synchronized (lane) {
			applyAck(delivery);
		}
	}

	/** Apply an acknowledgement; the lane's monitor is held. */
	private void applyAck(MemoryDelivery delivery) {
		MemoryLane lane = delivery.lane();
		if (lane.isCurrent(delivery)) {
			finish(delivery, false);
			if (lane.freeLater() >= FREE_BATCH || this.waitingForRoom.get() > 0) {
				free(lane.takeUnfreed());
			}
			scheduleUnlessInline(lane, delivery);
		}
		else if (lane.removeWaiting(delivery.entry())) {
			free(1);
		}
	}

	void retry(MemoryDelivery delivery, Duration delay) {
		MemoryLane lane = delivery.lane();
		synchronized (lane) {
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
					schedule(lane);
				}
			}
		}
	}

	private void retryDue(MemoryLane lane) {
		synchronized (lane) {
			lane.waitingForRetry(false);
			schedule(lane);
		}
	}

	private static void finish(MemoryDelivery delivery, boolean putBack) {
		delivery.lane().finish(delivery, putBack);
	}

	private void scheduleUnlessInline(MemoryLane lane, MemoryDelivery delivery) {
		if (!lane.isInline(delivery)) {
			schedule(lane);
		}
	}

	/**
	 * Give the lane a drain task if it needs one, and publish whether it is busy; the lane's monitor
	 * is held.
	 */
	private void schedule(MemoryLane lane) {
		do {
			if (!this.closed && lane.needsDrain() && this.members.length > 0) {
				lane.drainScheduled(true);
				if (!this.workers.execute(() -> drain(lane))) {
					lane.drainScheduled(false);
				}
			}
		}
		while (!lane.publishBusy());
	}

	private void drain(MemoryLane lane) {
		int budget = DRAIN_BATCH;
		MemoryDelivery delivery = start(lane, null);
		// when this task last took what had arrived, or 0 before it timed a batch
		long taken = 0;
		while (delivery != null) {
			run(delivery);
			if (delivery.lastQueued()) {
				taken = gather(lane, taken);
			}
			delivery = start(lane, delivery);
			if (delivery == MemoryDelivery.IDLE) {
				taken = 0;
				linger(lane);
				delivery = start(lane, null);
			}
			if (--budget == 0 && delivery != null) {
				if (this.workers.hasWaitingTasks()) {
					run(delivery);
					release(lane, delivery);
					return;
				}
				budget = DRAIN_BATCH;
			}
		}
	}

	private static void run(MemoryDelivery delivery) {
		delivery.runningOn(Thread.currentThread());
		try {
			delivery.member().deliver(delivery);
		}
		finally {
			delivery.runningOn(null);
		}
	}

	/**
	 * Let events pile up in a lane's inbox before the drain task takes them, called when the task
	 * ran the last queued delivery. Waits as long as {@link #gatherWait} says, counting the
	 * arrivals once more halfway, to stop early when none came since: a publisher that paused is
	 * not kept waiting for the rest. Counting reads the inbox's producer index, which publishers
	 * write, so it is done twice per batch, not while spinning.
	 * @param lane the lane
	 * @param taken when this task last took the lane's arrivals, or {@code 0} if unknown
	 * @return when the wait ended, the time the arrivals are taken, or {@code 0} if none had
	 * arrived
	 */
	private static long gather(MemoryLane lane, long taken) {
		int arrived = lane.arrivals();
		if (arrived == 0) {
			return 0;
		}
		long now = System.nanoTime();
		long wait = gatherWait(arrived, (taken != 0) ? now - taken : -1);
		long deadline = now + wait;
		long halfway = now + wait / 2;
		boolean counted = false;
		while (now - deadline < 0) {
			for (int i = 0; i < 8; i++) {
				Thread.onSpinWait();
			}
			now = System.nanoTime();
			if (!counted && now - halfway >= 0) {
				counted = true;
				int arrivals = lane.arrivals();
				if (arrivals == arrived || arrivals >= GATHER_BATCH) {
					break;
				}
			}
		}
		return now;
	}

	/**
	 * How long to let arrivals pile up: the time {@link #GATHER_BATCH} take to arrive at the rate
	 * seen since the last batch was taken, at most {@link #GATHER_MAX_NANOS}.
	 * @param arrived messages waiting in the inbox, at least one
	 * @param sinceTaken nanoseconds since the drain task last took the arrivals, in which time
	 * {@code arrived} came; negative if unknown, which waits {@link #GATHER_UNTIMED_NANOS}
	 * @return nanoseconds to wait, {@code 0} when a batch is there already
	 */
	static long gatherWait(int arrived, long sinceTaken) {
		if (arrived >= GATHER_BATCH) {
			return 0;
		}
		if (sinceTaken < 0) {
			return GATHER_UNTIMED_NANOS;
		}
		long interval = sinceTaken / arrived;
		return Math.min(GATHER_MAX_NANOS, interval * (GATHER_BATCH - arrived));
	}

	/**
	 * Wait, at most {@link #LINGER_NANOS}, for a message to arrive in a lane whose drain task
	 * still holds it (nothing else schedules a task for it meanwhile).
	 */
	private void linger(MemoryLane lane) {
		long deadline = System.nanoTime() + LINGER_NANOS;
		int spins = 0;
		while (!lane.hasArrivals() && !this.closed) {
			if ((++spins & 0x3F) == 0) {
				if (System.nanoTime() - deadline >= 0) {
					return;
				}
				Thread.yield();
			}
			else {
				Thread.onSpinWait();
			}
		}
	}

	/**
	 * Start the next delivery of a lane on the drain task. After a delivery that was settled on
	 * this thread the task goes on with the next message, or lingers ({@link MemoryDelivery#IDLE})
	 * when there is none yet; otherwise it ends and the settlement (or a hand-back on close)
	 * schedules the next task.
	 * @param lane the lane
	 * @param previous the delivery this task ran last, or {@code null} at the start of the task
	 * and after lingering
	 * @return the delivery to run, {@link MemoryDelivery#IDLE} to linger (the lane stays held by
	 * this task), or {@code null} when the task ends
	 */
	private @Nullable MemoryDelivery start(MemoryLane lane, @Nullable MemoryDelivery previous) {
		synchronized (lane) {
			if (previous == null) {
				lane.drainScheduled(false);
			}
			else {
				if (previous.takeInlineAck()) {
					applyAck(previous);
				}
				if (!lane.isInline(previous)) {
					schedule(lane);
					return null;
				}
			}
			lane.inline(null);
			MemorySubscription[] members = this.members;
			if (this.closed || members.length == 0) {
				schedule(lane);
				return null;
			}
			if (!lane.ready()) {
				if (previous != null && lane.isIdle()) {
					lane.drainScheduled(true);
					return MemoryDelivery.IDLE;
				}
				// isIdle() takes what arrived since ready() looked: go on with it on this task
				if (!lane.ready()) {
					schedule(lane);
					return null;
				}
			}
			MemorySubscription member = members[lane.nextMember(members.length)];
			MemoryDelivery delivery = lane.start(this, member);
			if (previous != null) {
				delivery.startAfter(previous);
			}
			lane.inline(delivery);
			lane.publishBusy();
			return delivery;
		}
	}

	private void release(MemoryLane lane, MemoryDelivery delivery) {
		synchronized (lane) {
			if (delivery.takeInlineAck()) {
				applyAck(delivery);
			}
			if (lane.isInline(delivery)) {
				lane.inline(null);
				schedule(lane);
			}
		}
	}

	/**
	 * Close every member at once and drop what is queued.
	 */
	void shutdown() {
		for (MemorySubscription member : this.members) {
			member.close(Duration.ZERO);
		}
		this.closed = true;
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				free(lane.clear() + lane.takeUnfreed());
			}
		}
		this.lock.lock();
		try {
			this.roomFreed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	int queued() {
		int queued = 0;
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				queued += lane.queued();
			}
		}
		return queued;
	}

	Map<String, Object> details() {
		int queued = 0;
		int inFlight = 0;
		for (MemoryLane lane : this.lanes) {
			synchronized (lane) {
				queued += lane.queued();
				inFlight += (lane.current() != null) ? 1 : 0;
			}
		}
		return Map.of("queued", queued, "inFlight", inFlight, "members", this.members.length, "lanes",
				this.lanes.length, "capacity", this.capacity);
	}

	/**
	 * An {@link AtomicInteger} followed by a cache line of padding, so that the counters allocated
	 * after it do not share its line.
	 */
	@SuppressWarnings({ "serial", "unused" })
	private static final class PaddedAtomicInteger extends AtomicInteger {

		private long p1, p2, p3, p4, p5, p6, p7, p8;

	}

	@Override
	public String toString() {
		return "MemoryGroup[destination=" + this.destination + ", name=" + this.name + ", lanes=" + this.lanes.length
				+ "]";
	}

}
