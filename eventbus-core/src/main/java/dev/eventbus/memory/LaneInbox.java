package dev.eventbus.memory;

import java.util.ArrayDeque;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The part of a {@link MemoryLane} that publishers use: a multi-producer, single-consumer array
 * queue of added messages (JCTools', whose indices sit on padded cache lines of their own) and the
 * lane's busy flag, which publishers read. Padding on both sides keeps the flag off the line of the
 * lane's monitor and queue, which the drain thread uses for every message.
 * <p>
 * A publisher claims a slot with one atomic add and stores its message there; the drain thread
 * reads the slots in order, so taking a batch reads adjacent memory instead of following a chain
 * of entries from one cache miss to the next. Publishers' claim and their read of the busy flag,
 * and the lane's write of the flag and its look at the queue's indices, are ordered as volatile
 * accesses are, so a message is either seen by the lane or finds it idle and schedules it.
 */
final class LaneInbox extends LaneInboxFields {

	@SuppressWarnings("unused")
	private long p10, p11, p12, p13, p14, p15, p16, p17;

	/**
	 * Add a message. Safe from any thread.
	 * @param entry the message
	 * @return whether the lane was busy when the message was added
	 */
	boolean push(MemoryEntry entry) {
		this.arrivals.offer(entry);
		return this.busy;
	}

	/**
	 * Whether messages were added and not taken yet: true from the moment a publisher claimed a
	 * slot, even before its message is visible there.
	 * @return whether the queue holds messages
	 */
	boolean hasArrivals() {
		return !this.arrivals.isEmpty();
	}

	/**
	 * How many messages were added and not taken yet, counting those whose slot was claimed
	 * before they are visible there. Reads the producers' index.
	 * @return the number of arrivals
	 */
	int arrivals() {
		return this.arrivals.size();
	}

	/**
	 * Move every message added so far to the end of a queue, oldest first; waits for a message
	 * whose slot was claimed to be stored. Called by one thread at a time.
	 * @param into the queue
	 */
	void takeAll(ArrayDeque<MemoryEntry> into) {
		MemoryEntry entry;
		while ((entry = this.arrivals.poll()) != null) {
			into.addLast(entry);
		}
	}

	/**
	 * Move the messages added so far that are visible to the end of a queue, oldest first,
	 * stopping at the first slot not stored yet. Unlike {@link #takeAll}, it does not read the
	 * producers' index, whose cache line every publish writes. Called by one thread at a time.
	 * @param into the queue
	 */
	void takeVisible(ArrayDeque<MemoryEntry> into) {
		MemoryEntry entry;
		while ((entry = this.arrivals.relaxedPoll()) != null) {
			into.addLast(entry);
		}
	}

	void busy(boolean busy) {
		if (busy != this.busy) {
			this.busy = busy;
		}
	}

}

/** Fills the line before the fields, and the gap after the object header. */
abstract class LaneInboxPadding {

	@SuppressWarnings("unused")
	private int p0;

	@SuppressWarnings("unused")
	private long p01, p02, p03, p04, p05, p06, p07, p08;

}

/**
 * The fields of {@link LaneInbox}: the queue, never changed, and the busy flag, which changes
 * rarely, so the copies of their line that publishers and the drain thread read stay valid.
 */
abstract class LaneInboxFields extends LaneInboxPadding {

	/** Slots of one chunk of the queue; chunks are linked as the queue grows and reused. */
	private static final int CHUNK_SIZE = 256;

	/** Messages added and not yet taken, oldest first. */
	final MessagePassingQueue<MemoryEntry> arrivals = new MpscUnboundedXaddArrayQueue<>(CHUNK_SIZE);

	/** Written by the lane under its monitor, read by publishers. */
	volatile boolean busy;

}
