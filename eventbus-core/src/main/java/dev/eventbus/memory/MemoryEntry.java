package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;

/**
 * A message queued for one consumer group, numbered in its destination. The delivery count is
 * guarded by the monitor of the {@link MemoryLane} that holds the entry and written only when a
 * delivery is handed back. Entries are otherwise read only, so the drain thread does not write into
 * memory that publishers are filling, and the destination's {@link MemoryHistory} retains the entry
 * of its first group rather than an object of its own.
 */
final class MemoryEntry {

	private final OutboundMessage message;

	private final long sequence;

	private int deliveries;

	MemoryEntry(OutboundMessage message, long sequence) {
		this.message = message;
		this.sequence = sequence;
	}

	OutboundMessage message() {
		return this.message;
	}

	long sequence() {
		return this.sequence;
	}

	/**
	 * The attempt the next delivery of this entry is.
	 * @return 1 for the first delivery
	 */
	int attempt() {
		return this.deliveries + 1;
	}

	/**
	 * Count a delivery that was handed back, to be delivered again.
	 */
	void redelivered() {
		this.deliveries++;
	}

}
