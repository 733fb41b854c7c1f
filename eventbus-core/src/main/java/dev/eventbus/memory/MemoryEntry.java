package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message queued for one consumer group. The delivery count is guarded by the monitor of the
 * {@link MemoryLane} that holds the entry and written only when a delivery is handed back; the
 * inbox link is written by the publisher before the entry is pushed. Entries are otherwise read
 * only, so the drain thread does not write into memory that publishers are filling.
 */
final class MemoryEntry {

	private final OutboundMessage message;

	private final long sequence;

	private int deliveries;

	/**
	 * The older entry below this one in a lane's inbox; written before the entry is pushed there
	 * and left as it is afterwards, so an entry keeps the older entries of its batch reachable until
	 * it is taken (bounded by the group's capacity).
	 */
	private @Nullable MemoryEntry next;

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

	@Nullable MemoryEntry next() {
		return this.next;
	}

	void next(@Nullable MemoryEntry next) {
		this.next = next;
	}

}
