package dev.eventbus.sample.audit;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Timelines of events, in memory, keyed by subject, else by correlation id. An event
 * recorded twice (a redelivery or a replay) appears once. Thread safe.
 */
@Component
public class AuditTrail {

	private final Map<String, Map<String, TimelineEntry>> timelines = new ConcurrentHashMap<>();

	void record(List<Event<JsonNode>> events) {
		for (Event<JsonNode> event : events) {
			String key = key(event);
			if (key != null) {
				TimelineEntry entry = new TimelineEntry(event.type(), event.time(), event.id(), event.correlationId(),
						event.causationId(), event.payload());
				this.timelines.computeIfAbsent(key, (k) -> new ConcurrentHashMap<>()).putIfAbsent(event.id(), entry);
			}
		}
	}

	/**
	 * The timeline of a subject or correlation id.
	 * @param key the subject, or the correlation id of events without one
	 * @return its events, oldest first; empty when none was recorded
	 */
	public List<TimelineEntry> timeline(String key) {
		Map<String, TimelineEntry> entries = this.timelines.get(key);
		if (entries == null) {
			return List.of();
		}
		return entries.values()
			.stream()
			.sorted(Comparator.comparing(TimelineEntry::time).thenComparing(TimelineEntry::eventId))
			.toList();
	}

	private static @Nullable String key(Event<?> event) {
		return (event.subject() != null) ? event.subject() : event.correlationId();
	}

}
