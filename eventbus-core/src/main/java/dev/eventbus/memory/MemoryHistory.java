package dev.eventbus.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;

/**
 * The messages retained by one destination: a ring of the last {@code size} messages sent to it,
 * with the sequence that numbers every message of the destination. Messages are kept as sent and
 * encoded in structured mode only when read. Thread safe.
 */
final class MemoryHistory {

	private final int size;

	private final ArrayDeque<Retained> ring;

	private long sequence;

	MemoryHistory(int size) {
		this.size = size;
		this.ring = new ArrayDeque<>(Math.min(size, 1024));
	}

	/**
	 * Number a message and retain it, dropping the oldest one when full.
	 * @param message the message
	 * @return its sequence number, from 1
	 */
	synchronized long append(OutboundMessage message) {
		long number = ++this.sequence;
		if (this.size > 0) {
			if (this.ring.size() == this.size) {
				this.ring.removeFirst();
			}
			this.ring.addLast(new Retained(number, message));
		}
		return number;
	}

	/**
	 * The oldest retained messages.
	 * @param limit maximum number returned
	 * @return up to {@code limit} messages, oldest first
	 */
	List<StoredMessage> oldest(int limit) {
		List<Retained> selected = new ArrayList<>();
		synchronized (this) {
			Iterator<Retained> iterator = this.ring.iterator();
			while (iterator.hasNext() && selected.size() < limit) {
				selected.add(iterator.next());
			}
		}
		return stored(selected);
	}

	/**
	 * The newest retained messages.
	 * @param limit maximum number returned
	 * @return up to {@code limit} messages, oldest first
	 */
	List<StoredMessage> newest(int limit) {
		List<Retained> selected = new ArrayList<>();
		synchronized (this) {
			Iterator<Retained> iterator = this.ring.descendingIterator();
			while (iterator.hasNext() && selected.size() < limit) {
				selected.add(0, iterator.next());
			}
		}
		return stored(selected);
	}

	private static List<StoredMessage> stored(List<Retained> retained) {
		List<StoredMessage> result = new ArrayList<>(retained.size());
		for (Retained message : retained) {
			result.add(message.toStoredMessage());
		}
		return result;
	}

	/**
	 * Forget one message.
	 * @param messageId its sequence number as text
	 * @return whether it was retained
	 */
	synchronized boolean remove(String messageId) {
		return this.ring.removeIf((retained) -> Long.toString(retained.sequence()).equals(messageId));
	}

	/**
	 * Forget every message.
	 * @return how many were retained
	 */
	synchronized int purge() {
		int count = this.ring.size();
		this.ring.clear();
		return count;
	}

	synchronized int retained() {
		return this.ring.size();
	}

	private record Retained(long sequence, OutboundMessage message) {

		StoredMessage toStoredMessage() {
			EncodedMessage encoded = this.message.encoded(ContentMode.STRUCTURED);
			return new StoredMessage(Long.toString(this.sequence), this.message.key(), encoded.headers(),
					encoded.body().clone());
		}

	}

}
