package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.spi.BatchSpec;
import org.jspecify.annotations.Nullable;

/**
 * A consumer group of one destination: its lanes, its members and its room. The lanes of
 * a batch subscription's group deliver batches. A message is queued on the lane of its
 * key (messages without a key go round the lanes) and each delivery goes to the next
 * member in turn. The group holds at most {@code capacity} messages queued or in flight;
 * a sender takes room before queuing and an acknowledgement gives it back. The group
 * outlives its members: messages queued while it has none wait for the next. Thread safe.
 */
final class MemoryGroup {

	private final String name;

	private final MemoryLane[] lanes;

	private final Executor executor;

	private final Semaphore room;

	/**
	 * The members, replaced as a whole when one joins or leaves, so that a reader sees a
	 * consistent list.
	 */
	private volatile List<MemorySubscription> members = List.of();

	private final AtomicInteger nextMember = new AtomicInteger();

	private final AtomicInteger nextLane = new AtomicInteger();

	MemoryGroup(String name, int lanes, @Nullable BatchSpec batch, int capacity, Executor executor) {
		this.name = name;
		this.lanes = new MemoryLane[lanes];
		for (int i = 0; i < lanes; i++) {
			this.lanes[i] = new MemoryLane(this, batch);
		}
		this.executor = executor;
		this.room = new Semaphore(capacity);
	}

	String name() {
		return this.name;
	}

	Executor executor() {
		return this.executor;
	}

	/**
	 * Take room for one message, waiting up to the timeout.
	 * @param timeout the longest wait
	 * @return whether room was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean reserve(Duration timeout) throws InterruptedException {
		return this.room.tryAcquire() || this.room.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Give back room taken by a message that is acknowledged, dropped or was never
	 * queued.
	 */
	void release() {
		this.room.release();
	}

	/**
	 * Queue a message whose room was {@link #reserve reserved}.
	 * @param entry the message
	 */
	void add(MemoryEntry entry) {
		String key = entry.message().key();
		int lane = (key != null) ? Math.floorMod(key.hashCode(), this.lanes.length)
				: Math.floorMod(this.nextLane.getAndIncrement(), this.lanes.length);
		this.lanes[lane].add(entry);
	}

	void join(MemorySubscription member) {
		synchronized (this) {
			List<MemorySubscription> joined = new ArrayList<>(this.members);
			joined.add(member);
			this.members = List.copyOf(joined);
		}
		for (MemoryLane lane : this.lanes) {
			lane.wake();
		}
	}

	/**
	 * Remove a member: it gets no new deliveries.
	 * @param member the member
	 */
	synchronized void leave(MemorySubscription member) {
		List<MemorySubscription> left = new ArrayList<>(this.members);
		left.remove(member);
		this.members = List.copyOf(left);
	}

	/**
	 * Give the deliveries a member left unsettled back to their lanes.
	 * @param member a member that left
	 */
	void handBack(MemorySubscription member) {
		for (MemoryLane lane : this.lanes) {
			lane.handBack(member);
		}
	}

	boolean hasMembers() {
		return !this.members.isEmpty();
	}

	@Nullable MemorySubscription nextMember() {
		List<MemorySubscription> current = this.members;
		if (current.isEmpty()) {
			return null;
		}
		return current.get(Math.floorMod(this.nextMember.getAndIncrement(), current.size()));
	}

	int queued() {
		int queued = 0;
		for (MemoryLane lane : this.lanes) {
			queued += lane.queued();
		}
		return queued;
	}

	int inFlight() {
		int inFlight = 0;
		for (MemoryLane lane : this.lanes) {
			inFlight += lane.inFlight();
		}
		return inFlight;
	}

	int members() {
		return this.members.size();
	}

	/** Drop every member and queued message. */
	void shutdown() {
		List<MemorySubscription> stopped;
		synchronized (this) {
			stopped = this.members;
			this.members = List.of();
		}
		stopped.forEach(MemorySubscription::stop);
		for (MemoryLane lane : this.lanes) {
			this.room.release(lane.clear());
		}
	}

}
