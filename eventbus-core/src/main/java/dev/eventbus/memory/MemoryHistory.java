package dev.eventbus.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * The messages retained by one destination: a ring of the last {@code size} messages sent to it,
 * with the sequence that numbers every message of the destination. Messages are kept as sent and
 * encoded in structured mode only when read. Thread safe and lock free: a publisher takes its
 * number with one atomic add and puts the message in the ring slot of that number, so publishing
 * threads never wait for each other or for a reader. A reader sees the messages whose numbers are
 * among the newest {@code size} taken, except those whose publishers have not yet put them in the
 * ring, and those removed or purged.
 */
final class MemoryHistory {

	private final int size;

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Message number {@code n} goes to slot {@code (n - 1) & mask}: the ring has the power of two
	 * at or above {@code size} slots, so that numbering a message costs no division. {@code null}
	 * when size is 0.
	 */
	private final @Nullable AtomicReferenceArray<MemoryEntry> ring;

	private final int mask;

	/** The highest number purged: readers skip messages numbered up to it. */
	private volatile long purgedThrough;

	MemoryHistory(int size) {
		this.size = size;
		int slots = (size > 1) ? Integer.highestOneBit(size - 1) << 1 : 1;
		this.ring = (size > 0) ? new AtomicReferenceArray<>(slots) : null;
		this.mask = slots - 1;
	}

	/**
	 * Number a message and retain it in place of the oldest one.
	 * @param message the message
	 * @return the message as numbered, from 1, and retained: the entry of the destination's first
	 * consumer group, so that a message queued for one group costs one object
	 */
	MemoryEntry append(OutboundMessage message) {
		long number = this.sequence.incrementAndGet();
		MemoryEntry retained = new MemoryEntry(message, number);
		AtomicReferenceArray<MemoryEntry> ring = this.ring;
		if (ring != null) {
			int slot = slot(number);
			MemoryEntry current = ring.get(slot);
			// a publisher that took its number long before may come after a newer one: keep the newer
			while ((current == null || current.number() < number)
					&& !ring.compareAndSet(slot, current, retained)) {
				current = ring.get(slot);
			}
		}
		return retained;
	}

	/**
	 * The oldest retained messages.
	 * @param limit maximum number returned
	 * @return up to {@code limit} messages, oldest first
	 */
	List<StoredMessage> oldest(int limit) {
		List<MemoryEntry> retained = retained();
		return stored(retained.subList(0, Math.min(limit, retained.size())));
	}

	/**
	 * The newest retained messages.
	 * @param limit maximum number returned
	 * @return up to {@code limit} messages, oldest first
	 */
	List<StoredMessage> newest(int limit) {
		List<MemoryEntry> retained = retained();
		return stored(retained.subList(Math.max(0, retained.size() - limit), retained.size()));
	}

	/**
	 * Forget one message.
	 * @param messageId its sequence number as text
	 * @return whether it was retained
	 */
	boolean remove(String messageId) {
		long number;
		try {
			number = Long.parseLong(messageId);
		}
		catch (NumberFormatException ex) {
			return false;
		}
		AtomicReferenceArray<MemoryEntry> ring = this.ring;
		if (ring == null || number < oldestNumber()) {
			return false;
		}
		int slot = slot(number);
		MemoryEntry current = ring.get(slot);
		return current != null && current.number() == number && ring.compareAndSet(slot, current, null);
	}

	/**
	 * Forget every message taken so far.
	 * @return how many were retained
	 */
	int purge() {
		AtomicReferenceArray<MemoryEntry> ring = this.ring;
		long oldest = oldestNumber();
		long through = this.sequence.get();
		this.purgedThrough = through;
		int purged = 0;
		if (ring != null) {
			for (int slot = 0; slot < ring.length(); slot++) {
				MemoryEntry current = ring.get(slot);
				if (current != null && current.number() <= through && ring.compareAndSet(slot, current, null)
						&& current.number() >= oldest) {
					purged++;
				}
			}
		}
		return purged;
	}

	/**
	 * The retained messages, oldest first.
	 * @return the messages
	 */
	private List<MemoryEntry> retained() {
		AtomicReferenceArray<MemoryEntry> ring = this.ring;
		if (ring == null) {
			return List.of();
		}
		long newest = this.sequence.get();
		List<MemoryEntry> retained = new ArrayList<>();
		for (long number = oldestNumber(); number <= newest; number++) {
			MemoryEntry message = ring.get(slot(number));
			if (message != null && message.number() == number) {
				retained.add(message);
			}
		}
		return retained;
	}

	/**
	 * The lowest number a retained message can have: the newest {@code size} numbers taken, none
	 * of them purged.
	 */
	private long oldestNumber() {
		return Math.max(this.sequence.get() - this.size, this.purgedThrough) + 1;
	}

	private int slot(long number) {
		return (int) (number - 1) & this.mask;
	}

	private static List<StoredMessage> stored(List<MemoryEntry> retained) {
		List<StoredMessage> result = new ArrayList<>(retained.size());
		for (MemoryEntry entry : retained) {
			EncodedMessage encoded = entry.message().encoded(ContentMode.STRUCTURED);
			result.add(new StoredMessage(Long.toString(entry.number()), entry.message().key(), encoded.headers(),
					encoded.body().clone()));
		}
		return result;
	}

}
