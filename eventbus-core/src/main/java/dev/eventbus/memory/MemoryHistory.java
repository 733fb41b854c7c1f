package dev.eventbus.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;

/**
 * The last {@code size} messages sent to one destination, and the sequence that numbers
 * every message of the destination. Messages are kept as sent and encoded in structured
 * mode only when read. Thread safe: one lock guards the sequence and the retained
 * messages.
 */
final class MemoryHistory {

	private final int size;

	private final Deque<MemoryEntry> retained = new ArrayDeque<>();

	private long sequence;

	MemoryHistory(int size) {
		this.size = size;
	}

	/**
	 * Number a message and retain it in place of the oldest one.
	 * @param message the message
	 * @return the message as numbered, from 1
	 */
	synchronized MemoryEntry append(OutboundMessage message) {
		MemoryEntry entry = new MemoryEntry(message, ++this.sequence, 1);
		if (this.size > 0) {
			if (this.retained.size() == this.size) {
				this.retained.removeFirst();
			}
			this.retained.addLast(entry);
		}
		return entry;
	}

	synchronized List<StoredMessage> oldest(int limit) {
		List<StoredMessage> result = new ArrayList<>(Math.min(limit, this.retained.size()));
		for (Iterator<MemoryEntry> entries = this.retained.iterator(); entries.hasNext() && result.size() < limit;) {
			result.add(stored(entries.next()));
		}
		return result;
	}

	synchronized List<StoredMessage> newest(int limit) {
		List<StoredMessage> result = new ArrayList<>(Math.min(limit, this.retained.size()));
		for (Iterator<MemoryEntry> entries = this.retained.descendingIterator(); entries.hasNext()
				&& result.size() < limit;) {
			result.add(0, stored(entries.next()));
		}
		return result;
	}

	synchronized boolean remove(String messageId) {
		return this.retained.removeIf((entry) -> Long.toString(entry.sequence()).equals(messageId));
	}

	synchronized int purge() {
		int purged = this.retained.size();
		this.retained.clear();
		return purged;
	}

	private static StoredMessage stored(MemoryEntry entry) {
		EncodedMessage encoded = entry.message().encoded(ContentMode.STRUCTURED);
		return new StoredMessage(Long.toString(entry.sequence()), entry.message().key(), encoded.headers(),
				encoded.body());
	}

}
