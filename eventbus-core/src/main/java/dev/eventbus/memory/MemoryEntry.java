package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message queued for one consumer group. The mutable fields are guarded by the lock of the
 * {@link MemoryGroup} that owns the entry.
 */
final class MemoryEntry {

	private final OutboundMessage message;

	private final long sequence;

	private int deliveries;

	private @Nullable MemoryDelivery delivery;

	/** The next entry in a lane's inbox; written before the entry is published there. */
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
	 * Count one more delivery.
	 * @return the deliveries so far, this one included
	 */
	int nextAttempt() {
		return ++this.deliveries;
	}

	/**
	 * The delivery of this entry that is in flight.
	 * @return the delivery, or {@code null} while the entry is queued
	 */
	@Nullable MemoryDelivery delivery() {
		return this.delivery;
	}

	void delivery(@Nullable MemoryDelivery delivery) {
		this.delivery = delivery;
	}

	@Nullable MemoryEntry next() {
		return this.next;
	}

	void next(@Nullable MemoryEntry next) {
		this.next = next;
	}

}
