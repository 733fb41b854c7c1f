package dev.eventbus.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The durable event log: every event recorded once, by source and id, at a global
 * position, as its structured CloudEvent with the columns it is looked up by (subject,
 * correlation id, type, time). Events of a subject in order, the trail of a correlation
 * id, queries by types, time and position with paging, and the events of a subject as of
 * a time. Statements join the caller's transaction when there is one, so an event
 * published in a transaction is logged only if it commits. Thread safe.
 */
public final class EventLog {

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private static final List<String> COLUMNS = List.of("event_key", "event_id", "source", "type", "subject",
			"correlation_id", "causation_id", "destination", "event_time", "recorded_at", "headers", "body");

	private static final int DELETE_BATCH = 1_000;

	/**
	 * The order of the events of one subject or one flow: by the time they happened, then
	 * by log position; events without a time last. Recording order alone can differ from
	 * publish order: an event published in a transaction is recorded at once, one
	 * published outside a transaction a moment later, on the recorder's thread.
	 */
	private static final String HAPPENED_ORDER = " ORDER BY CASE WHEN event_time IS NULL THEN 1 ELSE 0 END,"
			+ " event_time, position";

	private final JdbcClient jdbc;

	private final JdbcPlatform platform;

	private final String table;

	private final JsonEventCodec codec;

	private final JsonMapper jsonMapper;

	private final String insert;

	/**
	 * Create the log.
	 * @param dataSource the database
	 * @param platform the database's platform
	 * @param tables the table names
	 * @param codec encodes and decodes the logged events
	 * @param jsonMapper writes and reads the headers column
	 */
	public EventLog(DataSource dataSource, JdbcPlatform platform, JdbcTables tables, JsonEventCodec codec,
			JsonMapper jsonMapper) {
		this.jdbc = JdbcClient.create(dataSource);
		this.platform = platform;
		this.table = tables.eventLog();
		this.codec = codec;
		this.jsonMapper = jsonMapper;
		this.insert = platform.insertIfAbsent(this.table, "event_key", COLUMNS);
	}

	/**
	 * Record an event, unless an event of the same source and id was recorded before.
	 * @param event the event
	 * @param destination the destination it was published to or read from
	 */
	public void record(Event<?> event, String destination) {
		EncodedMessage encoded = this.codec.encode(event, ContentMode.STRUCTURED);
		this.jdbc.sql(this.insert)
			.params(JdbcInbox.key(event.source(), event.id()), event.id(), event.source(), event.type(),
					event.subject(), event.correlationId(), event.causationId(), destination,
					(event.time() != null) ? Timestamp.from(event.time()) : null, Timestamp.from(Instant.now()),
					this.jsonMapper.writeValueAsString(encoded.headers()), encoded.body())
			.update();
	}

	/**
	 * The events of a subject, in the order they happened.
	 * @param subject the subject
	 * @return the events
	 */
	public List<LoggedEvent> forSubject(String subject) {
		return this.jdbc.sql("SELECT * FROM " + this.table + " WHERE subject = ?" + HAPPENED_ORDER)
			.param(subject)
			.query(this::logged)
			.list();
	}

	/**
	 * The events of a subject that happened up to a time: the state of the subject as of
	 * then.
	 * @param subject the subject
	 * @param asOf the time
	 * @return the events, in the order they happened
	 */
	public List<LoggedEvent> forSubject(String subject, Instant asOf) {
		return this.jdbc.sql("SELECT * FROM " + this.table + " WHERE subject = ? AND event_time <= ?" + HAPPENED_ORDER)
			.params(subject, Timestamp.from(asOf))
			.query(this::logged)
			.list();
	}

	/**
	 * The trail of a correlation id: every event of one flow, in the order they happened.
	 * @param correlationId the correlation id
	 * @return the events
	 */
	public List<LoggedEvent> forCorrelation(String correlationId) {
		return this.jdbc.sql("SELECT * FROM " + this.table + " WHERE correlation_id = ?" + HAPPENED_ORDER)
			.param(correlationId)
			.query(this::logged)
			.list();
	}

	/**
	 * A page of the events a query selects, in position order. The next page starts after
	 * the last position of this one.
	 * @param query the query
	 * @return the events
	 */
	public List<LoggedEvent> find(EventLogQuery query) {
		StringBuilder sql = new StringBuilder("SELECT * FROM " + this.table + " WHERE position > ?");
		List<Object> params = new ArrayList<>(List.of(query.afterPosition()));
		if (query.upToPosition() != null) {
			sql.append(" AND position <= ?");
			params.add(query.upToPosition());
		}
		if (query.from() != null) {
			sql.append(" AND event_time >= ?");
			params.add(Timestamp.from(query.from()));
		}
		if (query.to() != null) {
			sql.append(" AND event_time < ?");
			params.add(Timestamp.from(query.to()));
		}
		if (!query.types().isEmpty()) {
			sql.append(" AND (")
				.append(String.join(" OR ", query.types().stream().map((type) -> "type LIKE ? ESCAPE '!'").toList()))
				.append(")");
			query.types().stream().map(EventLog::like).forEach(params::add);
		}
		sql.append(" ORDER BY position LIMIT ").append(query.limit());
		return this.jdbc.sql(sql.toString()).params(params).query(this::logged).list();
	}

	/**
	 * The {@code LIKE} pattern of a type pattern: {@code *} matches one or more
	 * characters, dots included, so it becomes {@code _%}; the rest is literal.
	 */
	static String like(String typePattern) {
		StringBuilder like = new StringBuilder();
		for (char c : typePattern.toCharArray()) {
			switch (c) {
				case '*' -> like.append("_%");
				case '_', '%', '!' -> like.append('!').append(c);
				default -> like.append(c);
			}
		}
		return like.toString();
	}

	/**
	 * The position of the last event recorded, the bound of a replay that starts now.
	 * @return the position, 0 when the log is empty
	 */
	public long lastPosition() {
		Long last = this.jdbc.sql("SELECT MAX(position) FROM " + this.table).query(Long.class).optional().orElse(null);
		return (last != null) ? last : 0;
	}

	/**
	 * Delete the events recorded before a time, at most a batch at once, until none is
	 * left.
	 * @param age how long events are kept
	 * @return how many were deleted
	 */
	public int deleteOlderThan(Duration age) {
		String delete = this.platform.boundedDelete(this.table, "position", "recorded_at < ?", DELETE_BATCH);
		Timestamp before = Timestamp.from(Instant.now().minus(age));
		return deleteInBatches(() -> this.jdbc.sql(delete).param(before).update());
	}

	/**
	 * Delete the oldest events beyond a count, at most a batch at once.
	 * @param count how many of the newest events are kept
	 * @return how many were deleted
	 */
	public int keepNewest(long count) {
		long bound = lastPosition() - count;
		if (bound <= 0) {
			return 0;
		}
		String delete = this.platform.boundedDelete(this.table, "position", "position <= ?", DELETE_BATCH);
		return deleteInBatches(() -> this.jdbc.sql(delete).param(bound).update());
	}

	private static int deleteInBatches(java.util.function.IntSupplier batch) {
		int deleted = 0;
		int last;
		do {
			last = batch.getAsInt();
			deleted += last;
		}
		while (last == DELETE_BATCH);
		return deleted;
	}

	private LoggedEvent logged(ResultSet rs, int rowNum) throws SQLException {
		Map<String, String> headers = this.jsonMapper.readValue(rs.getString("headers"), HEADERS);
		byte[] body = rs.getBytes("body");
		Event<?> event = this.codec.decodeEnvelope(headers, body, rs.getString("source"));
		return new LoggedEvent(rs.getLong("position"), rs.getString("destination"),
				Objects.requireNonNull(rs.getTimestamp("recorded_at")).toInstant(), event, headers, body);
	}

	/**
	 * One event of the log.
	 *
	 * @param position its place in the log, increasing in recording order
	 * @param destination the destination it was published to or read from
	 * @param recordedAt when it was recorded
	 * @param event the event, its data as JSON (or text or bytes, by its content type)
	 * @param headers the transport headers of its structured CloudEvents encoding
	 * @param body its structured CloudEvent
	 */
	public record LoggedEvent(long position, String destination, Instant recordedAt, Event<?> event,
			Map<String, String> headers, byte[] body) {
	}

	/**
	 * What to select from the log.
	 *
	 * @param types type patterns ({@code order.*}), empty for every type
	 * @param from the earliest event time, inclusive, or {@code null}
	 * @param to the latest event time, exclusive, or {@code null}
	 * @param afterPosition select only events after this position (0 for the start)
	 * @param upToPosition select only events up to this position, or {@code null}
	 * @param limit most events in one page
	 */
	public record EventLogQuery(List<String> types, @Nullable Instant from, @Nullable Instant to, long afterPosition,
			@Nullable Long upToPosition, int limit) {

		public EventLogQuery {
			types = List.copyOf(types);
			if (limit < 1) {
				throw new IllegalArgumentException("limit must be at least 1, was " + limit);
			}
		}

		/**
		 * Every event, 100 at a time.
		 * @return the query
		 */
		public static EventLogQuery all() {
			return new EventLogQuery(List.of(), null, null, 0, null, 100);
		}

		public EventLogQuery withTypes(String... newTypes) {
			return new EventLogQuery(List.of(newTypes), this.from, this.to, this.afterPosition, this.upToPosition,
					this.limit);
		}

		public EventLogQuery withTime(@Nullable Instant newFrom, @Nullable Instant newTo) {
			return new EventLogQuery(this.types, newFrom, newTo, this.afterPosition, this.upToPosition, this.limit);
		}

		public EventLogQuery after(long position) {
			return new EventLogQuery(this.types, this.from, this.to, position, this.upToPosition, this.limit);
		}

		public EventLogQuery upTo(long position) {
			return new EventLogQuery(this.types, this.from, this.to, this.afterPosition, position, this.limit);
		}

		public EventLogQuery withLimit(int newLimit) {
			return new EventLogQuery(this.types, this.from, this.to, this.afterPosition, this.upToPosition, newLimit);
		}

	}

}
