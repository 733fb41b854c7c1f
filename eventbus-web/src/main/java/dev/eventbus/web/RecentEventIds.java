package dev.eventbus.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.api.Event;

/**
 * Remembers the source and id of the most recent events published through the ingestion
 * endpoint, in memory, when no inbox is available: a repeat is recognised while its
 * original is among the last {@code capacity} events this instance took, and not after a
 * restart or on another instance. Thread safe.
 */
public final class RecentEventIds implements IngestionDeduplicator {

	private final Map<String, Boolean> recent;

	/**
	 * Create a window.
	 * @param capacity how many events are remembered, at least 1
	 */
	public RecentEventIds(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		this.recent = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > capacity;
			}

		};
	}

	@Override
	public boolean publishOnce(Event<?> event, Runnable publish) {
		String key = event.source() + ' ' + event.id();
		synchronized (this.recent) {
			if (this.recent.putIfAbsent(key, Boolean.TRUE) != null) {
				return false;
			}
		}
		try {
			publish.run();
			return true;
		}
		catch (RuntimeException ex) {
			synchronized (this.recent) {
				this.recent.remove(key);
			}
			throw ex;
		}
	}

}
