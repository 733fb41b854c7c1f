package dev.eventbus.memory;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.eventbus.api.EventBusOverloadedException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;

/**
 * One destination of the in-memory adapter: its history and the consumer groups subscribed to it.
 * Groups live as long as the adapter, so messages sent while a group has no member wait for the next
 * one. Thread safe.
 */
final class MemoryDestination {

	private final String name;

	private final InMemoryAdapterSettings settings;

	private final MemoryWorkers workers;

	private final MemoryHistory history;

	private final long publishTimeoutNanos;

	private final ConcurrentMap<String, MemoryGroup> groups = new ConcurrentHashMap<>();

	private volatile List<MemoryGroup> targets = List.of();

	MemoryDestination(String name, InMemoryAdapterSettings settings, MemoryWorkers workers) {
		this.name = name;
		this.settings = settings;
		this.workers = workers;
		this.history = new MemoryHistory(settings.historySize());
		this.publishTimeoutNanos = settings.publishTimeout().toNanos();
	}

	/**
	 * The group of that name, created with the given number of lanes if it does not exist yet.
	 * @param group the group name
	 * @param lanes lanes of a new group
	 * @return the group
	 */
	MemoryGroup group(String group, int lanes) {
		MemoryGroup existing = this.groups.get(group);
		if (existing != null) {
			return existing;
		}
		synchronized (this.groups) {
			MemoryGroup created = this.groups.computeIfAbsent(group,
					(key) -> new MemoryGroup(this.name, key, lanes, this.settings.queueCapacity(), this.workers));
			this.targets = List.copyOf(this.groups.values());
			return created;
		}
	}

	/**
	 * Queue a message for every group and retain it. Waits up to the publish timeout for room in
	 * every group; nothing is queued or retained when one stays full.
	 * @param message the message
	 * @return the result, positioned at the message's sequence number
	 * @throws EventBusOverloadedException if a group stayed full
	 * @throws InterruptedException if interrupted while waiting for room
	 */
	SendResult send(OutboundMessage message) throws InterruptedException {
		List<MemoryGroup> targets = this.targets;
		long timeout = this.publishTimeoutNanos;
		if (targets.size() == 1) {
			MemoryGroup group = targets.get(0);
			if (!group.reserve(timeout)) {
				throw overloaded(group);
			}
			MemoryEntry entry = this.history.append(message);
			group.enqueue(entry);
			return entry;
		}
		long deadline = System.nanoTime() + timeout;
		int reserved = 0;
		try {
			while (reserved < targets.size()) {
				MemoryGroup group = targets.get(reserved);
				if (!group.reserve(deadline - System.nanoTime())) {
					throw overloaded(group);
				}
				reserved++;
			}
		}
		catch (InterruptedException | RuntimeException ex) {
			for (int i = 0; i < reserved; i++) {
				targets.get(i).unreserve();
			}
			throw ex;
		}
		MemoryEntry entry = this.history.append(message);
		for (int i = 0; i < targets.size(); i++) {
			// each group counts its own deliveries of the message
			targets.get(i).enqueue((i == 0) ? entry : new MemoryEntry(message, entry.number()));
		}
		return entry;
	}

	private EventBusOverloadedException overloaded(MemoryGroup group) {
		return new EventBusOverloadedException("In-memory destination '" + this.name + "' is full for consumer group '"
				+ group.name() + "': " + group.capacity() + " messages queued or in flight (its capacity) and no room "
				+ "was freed within " + this.settings.publishTimeout().toMillis() + "ms. Consumers are not keeping up: "
				+ "slow down publishing, or raise '" + InMemoryAdapterSettings.QUEUE_CAPACITY_PROPERTY + "' or '"
				+ InMemoryAdapterSettings.PUBLISH_TIMEOUT_PROPERTY + "'");
	}

	String name() {
		return this.name;
	}

	MemoryHistory history() {
		return this.history;
	}

	Collection<MemoryGroup> groups() {
		return this.groups.values();
	}

	int queued() {
		int total = 0;
		for (MemoryGroup group : this.groups.values()) {
			total += group.queued();
		}
		return total;
	}

}
