package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;

/**
 * A message queued for one consumer group, numbered in its destination. The delivery count is
 * guarded by the monitor of the {@link MemoryLane} that holds the entry and written only when a
 * delivery is handed back. Entries are otherwise read only, so the drain thread does not write into
 * memory that publishers are filling, and the destination's {@link MemoryHistory} retains the entry
 * of its first group rather than an object of its own. The entry is also what the adapter returns
 * for the accepted message, positioned at its sequence number, for the same reason: one object per
 * message less. As a {@link SendResult} it is equal to any result of the same position; lanes
 * find their entries by identity.
 */
final class MemoryEntry extends SendResult {

	private final OutboundMessage message;

	private int deliveries;

	MemoryEntry(OutboundMessage message, long sequence) {
		super(sequence);
		this.message = message;
	}

	OutboundMessage message() {
		return this.message;
	}

	long number() {
		return sequence();
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
