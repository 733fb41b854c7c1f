package dev.eventbus.autoconfigure.jdbc;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLog.EventLogQuery;
import dev.eventbus.jdbc.EventLog.LoggedEvent;
import dev.eventbus.jdbc.EventLogReplays;
import dev.eventbus.jdbc.EventLogReplays.Replay;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@link Endpoint @Endpoint} {@code eventlog}: events of the log by subject, by
 * correlation id or by type patterns and position ({@code GET}); a replay by id
 * ({@code GET /{replayId}}); start a replay ({@code POST}, a write operation, read-only
 * unless {@code management.endpoint.eventlog.access} allows it).
 */
@Endpoint(id = "eventlog", defaultAccess = Access.READ_ONLY)
public class EventLogEndpoint {

	private static final int DEFAULT_LIMIT = 100;

	private final EventLog log;

	private final EventLogReplays replays;

	public EventLogEndpoint(EventLog log, EventLogReplays replays) {
		this.log = log;
		this.replays = replays;
	}

	/**
	 * Events of the log: of a subject, of a correlation id, or else of type patterns
	 * after a position.
	 * @param subject the subject, or {@code null}
	 * @param correlationId the correlation id, or {@code null}
	 * @param types comma-separated type patterns, or {@code null} for every type
	 * @param after the position to start after, or {@code null} for the start
	 * @param limit most events, 100 by default
	 * @return the events and the replays
	 */
	@ReadOperation
	public EventLogDescriptor events(@Nullable String subject, @Nullable String correlationId, @Nullable String types,
			@Nullable Long after, @Nullable Integer limit) {
		List<LoggedEvent> events;
		if (subject != null) {
			events = this.log.forSubject(subject);
		}
		else if (correlationId != null) {
			events = this.log.forCorrelation(correlationId);
		}
		else {
			events = this.log.find(
					query(types).after((after != null) ? after : 0).withLimit((limit != null) ? limit : DEFAULT_LIMIT));
		}
		return new EventLogDescriptor(events.stream().map(LoggedEventDescriptor::of).toList(), this.replays.replays());
	}

	/**
	 * A replay as it stands.
	 * @param replayId its id
	 * @return the replay, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<Replay> replay(@Selector String replayId) {
		return this.replays.find(replayId)
			.map(WebEndpointResponse::new)
			.orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
	}

	/**
	 * Start replaying the events of type patterns, up to the log's last position now.
	 * @param types comma-separated type patterns, or {@code null} for every type
	 * @param group the consumer group to replay to, or {@code null} for every group
	 * @param handler the handler of that group to replay to, or {@code null}
	 * @return the replay as it starts
	 */
	@WriteOperation
	public Replay startReplay(@Nullable String types, @Nullable String group, @Nullable String handler) {
		return this.replays.start(query(types), group, handler);
	}

	private static EventLogQuery query(@Nullable String types) {
		EventLogQuery query = EventLogQuery.all();
		return (types != null && !types.isBlank())
				? query.withTypes(Arrays.stream(types.split(",")).map(String::trim).toArray(String[]::new)) : query;
	}

	/**
	 * Events and replays.
	 *
	 * @param events the events, in log order
	 * @param replays the replays of this application, oldest first
	 */
	public record EventLogDescriptor(List<LoggedEventDescriptor> events, List<Replay> replays) {
	}

	/**
	 * One event of the log.
	 *
	 * @param position its place in the log
	 * @param id the event id
	 * @param type the event type
	 * @param source the event source
	 * @param subject the subject, or {@code null}
	 * @param correlationId the correlation id, or {@code null}
	 * @param causationId the causation id, or {@code null}
	 * @param time when it happened, or {@code null}
	 * @param destination where it was published or read
	 * @param recordedAt when it was logged
	 * @param data its data
	 */
	public record LoggedEventDescriptor(long position, String id, String type, String source, @Nullable String subject,
			@Nullable String correlationId, @Nullable String causationId, @Nullable Instant time, String destination,
			Instant recordedAt, Object data) {

		static LoggedEventDescriptor of(LoggedEvent logged) {
			Event<?> event = logged.event();
			return new LoggedEventDescriptor(logged.position(), event.id(), event.type(), event.source(),
					event.subject(), event.correlationId(), event.causationId(), event.time(), logged.destination(),
					logged.recordedAt(), event.payload());
		}

	}

}
