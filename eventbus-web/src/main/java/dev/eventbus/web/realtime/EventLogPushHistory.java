package dev.eventbus.web.realtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLog.EventLogQuery;
import dev.eventbus.jdbc.EventLog.LoggedEvent;
import tools.jackson.databind.ObjectMapper;

/**
 * The pushes in the event log ({@code eventbus-jdbc}, {@code eventbus.log.enabled}, with
 * {@value Push#TYPE} among the types it records): from the time in the client's
 * {@code Last-Event-ID}, at most {@code limit} pushes are read and those after its push
 * are returned. Thread safe.
 */
public final class EventLogPushHistory implements PushHistory {

	private final EventLog log;

	private final ObjectMapper mapper;

	private final int limit;

	/**
	 * Create the history.
	 * @param log the event log
	 * @param mapper reads the logged pushes
	 * @param limit most pushes read for one reconnection
	 */
	public EventLogPushHistory(EventLog log, ObjectMapper mapper, int limit) {
		this.log = log;
		this.mapper = mapper;
		this.limit = limit;
	}

	@Override
	public List<Push> after(String lastEventId) {
		int dash = lastEventId.indexOf('-');
		if (dash <= 0) {
			return List.of();
		}
		long millis;
		try {
			millis = Long.parseLong(lastEventId.substring(0, dash));
		}
		catch (NumberFormatException ex) {
			return List.of();
		}
		List<LoggedEvent> logged = this.log.find(EventLogQuery.all()
			.withTypes(Push.TYPE)
			.withTime(Instant.ofEpochMilli(millis), null)
			.withLimit(this.limit));
		List<Push> after = new ArrayList<>();
		boolean found = false;
		for (LoggedEvent event : logged) {
			Push push = this.mapper.convertValue(event.event().payload(), Push.class);
			if (found) {
				after.add(push);
			}
			else {
				found = push.sseId().equals(lastEventId);
			}
		}
		return after;
	}

}
