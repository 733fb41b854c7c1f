package dev.eventbus.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * The part of a {@link MemoryLane} that publishers use: a lock-free stack of added messages,
 * linked through the entries, and the lane's busy flag, which publishers read, each on a cache
 * line of its own. Padding on both sides keeps them off the line of the lane's monitor and queue,
 * which the drain thread uses for every message, so publishers pushing messages do not invalidate
 * it and the drain thread's writes do not slow publishers down.
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
		MemoryEntry head;
		do {
			head = this.head;
			entry.next(head);
		}
		while (!HEAD.weakCompareAndSet(this, head, entry));
		return this.busy;
	}

	/**
	 * Whether messages were added and not taken yet.
	 * @return whether the stack holds messages
	 */
	boolean hasArrivals() {
		return this.head != null;
	}

	/**
	 * Take every message added so far.
	 * @return the newest message, linked to older ones, or {@code null}
	 */
	@Nullable MemoryEntry takeAll() {
		return (this.head != null) ? (MemoryEntry) HEAD.getAndSet(this, null) : null;
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

/** The stack of {@link LaneInbox}, which publishers and the drain thread write. */
abstract class LaneInboxHead extends LaneInboxPadding {

	static final VarHandle HEAD;

	static {
		try {
			HEAD = MethodHandles.lookup().findVarHandle(LaneInboxHead.class, "head", MemoryEntry.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Messages added and not yet taken, newest first. */
	volatile @Nullable MemoryEntry head;

}

/** Keeps {@link LaneInboxFields#busy} off the line of the stack's head. */
abstract class LaneInboxHeadPadding extends LaneInboxHead {

	@SuppressWarnings("unused")
	private long p21, p22, p23, p24, p25, p26, p27, p28;

}

/**
 * The busy flag of {@link LaneInbox}, on a line of its own: it changes rarely, so the copies
 * publishers and the drain thread read stay valid while pushes and takes move the head's line
 * between them.
 */
abstract class LaneInboxFields extends LaneInboxHeadPadding {

	/** Written by the lane under its monitor, read by publishers. */
	volatile boolean busy;

}
