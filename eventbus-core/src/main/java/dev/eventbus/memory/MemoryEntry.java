package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;

/**
 * A message queued for one consumer group: what was sent, its number in the destination,
 * and how many times it was delivered to the group before.
 *
 * @param message the message as sent
 * @param sequence its number in its destination, from 1
 * @param attempt the attempt of its next delivery, from 1
 */
record MemoryEntry(OutboundMessage message, long sequence, int attempt) {

	MemoryEntry nextAttempt() {
		return new MemoryEntry(this.message, this.sequence, this.attempt + 1);
	}

}
