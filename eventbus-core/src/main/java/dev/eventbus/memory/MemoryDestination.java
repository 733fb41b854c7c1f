package dev.eventbus.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

import dev.eventbus.api.EventBusOverloadedException;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * One in-memory destination: its history and its consumer groups. Thread safe.
 */
final class MemoryDestination {

	private final String name;

	private final InMemoryAdapterSettings settings;

	private final Executor executor;

	private final MemoryHistory history;

	private final ConcurrentMap<String, MemoryGroup> groups = new ConcurrentHashMap<>();

	MemoryDestination(String name, InMemoryAdapterSettings settings, Executor executor) {
		this.name = name;
		this.settings = settings;
		this.executor = executor;
		this.history = new MemoryHistory(settings.historySize());
	}

	MemoryHistory history() {
		return this.history;
	}

	Collection<MemoryGroup> groups() {
		return this.groups.values();
	}

	/**
	 * The group of a name, created with {@code lanes} lanes if new.
	 * @param group the group name
	 * @param lanes lanes of a new group
	 * @param batch how the lanes of a new group form batches, or {@code null} to deliver
	 * one message at a time
	 * @return the group
	 */
	MemoryGroup group(String group, int lanes, @Nullable BatchSpec batch) {
		return this.groups.computeIfAbsent(group,
				(key) -> new MemoryGroup(key, lanes, batch, this.settings.queueCapacity(), this.executor));
	}

	/**
	 * Take room in every group, then number and retain the message and queue it for each:
	 * a message is queued for all groups or for none.
	 * @param message the message
	 * @return its number in this destination
	 * @throws EventBusOverloadedException if a group stayed full for the enqueue timeout
	 * @throws InterruptedException if interrupted while waiting for room
	 */
	long send(OutboundMessage message) throws InterruptedException {
		List<MemoryGroup> reserved = new ArrayList<>(this.groups.size());
		try {
			for (MemoryGroup group : this.groups.values()) {
				if (!group.reserve(this.settings.enqueueTimeout())) {
					throw new EventBusOverloadedException("In-memory consumer group '" + group.name() + "' of '"
							+ this.name + "' stayed full (" + this.settings.queueCapacity() + " messages) for "
							+ this.settings.enqueueTimeout().toMillis() + "ms: raise "
							+ InMemoryAdapterSettings.QUEUE_CAPACITY_PROPERTY + " or "
							+ InMemoryAdapterSettings.ENQUEUE_TIMEOUT_PROPERTY + ", or handle faster");
				}
				reserved.add(group);
			}
		}
		catch (EventBusOverloadedException | InterruptedException ex) {
			reserved.forEach(MemoryGroup::release);
			throw ex;
		}
		MemoryEntry entry = this.history.append(message);
		reserved.forEach((group) -> group.add(entry));
		return entry.sequence();
	}

	int queued() {
		int queued = 0;
		for (MemoryGroup group : this.groups.values()) {
			queued += group.queued();
		}
		return queued;
	}

}
