package dev.eventbus.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox table: rows recorded in the publisher's transaction, claimed by relays, then
 * deleted (or kept, marked sent) once the broker took them, or marked failed after the
 * last attempt. A row is {@code PENDING}, {@code SENT} or {@code FAILED}. Statements run
 * on the caller's transaction when there is one. Thread safe.
 */
public final class JdbcOutbox {

	static final String PENDING = "PENDING";

	static final String SENT = "SENT";

	static final String FAILED = "FAILED";

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private static final int MAX_ERROR_LENGTH = 2000;

	private final JdbcClient jdbc;

	private final String table;

	private final JsonMapper jsonMapper;

	/**
	 * Create the outbox on a data source.
	 * @param dataSource the database, the one the publishers' transactions run on
	 * @param tables the table names
	 * @param jsonMapper writes and reads the headers column
	 */
	public JdbcOutbox(DataSource dataSource, JdbcTables tables, JsonMapper jsonMapper) {
		this.jdbc = JdbcClient.create(dataSource);
		this.table = tables.outbox();
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Record an event message, on the caller's transaction: its structured CloudEvents
	 * encoding, to be sent by a relay after the transaction commits.
	 * @param message the message of an event
	 * @param now the time it is recorded
	 */
	void add(OutboundMessage message, Instant now) {
		EncodedMessage encoded = message.encoded(ContentMode.STRUCTURED);
		this.jdbc
			.sql("INSERT INTO " + this.table + " (event_id, destination, subject, headers, body, status, attempts,"
					+ " created_at, available_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")
			.params(message.id(), message.destination(), message.key(),
					this.jsonMapper.writeValueAsString(encoded.headers()), encoded.body(), PENDING, Timestamp.from(now),
					Timestamp.from(now))
			.update();
	}

	/**
	 * Claim the rows a relay may send now, locking them until its transaction ends and
	 * skipping those another relay holds: pending rows due by now, and of a subject only
	 * the first pending row, so that a subject's rows go one at a time, in insert order.
	 * The first rows of the subjects come from one grouped scan of the subject index.
	 * Must run in a transaction.
	 * @param limit most rows
	 * @param now the time
	 * @return the rows, in insert order
	 */
	List<OutboxRow> claim(int limit, Instant now) {
		return this.jdbc
			.sql("SELECT * FROM " + this.table + " o WHERE o.status = ? AND o.available_at <= ?"
					+ " AND (o.subject IS NULL OR o.id IN (SELECT MIN(p.id) FROM " + this.table + " p"
					+ " WHERE p.status = ? AND p.subject IS NOT NULL GROUP BY p.subject))" + " ORDER BY o.id LIMIT "
					+ limit + " FOR UPDATE SKIP LOCKED")
			.params(PENDING, Timestamp.from(now), PENDING)
			.query(this::row)
			.list();
	}

	/**
	 * The pending rows that follow the first of each subject, at most {@code perSubject}
	 * of each, in insert order. They are not locked: the first row of their subject,
	 * locked by the caller's claim, keeps other relays off them. They were never sent, so
	 * they are due.
	 * @param subjects the subjects
	 * @param perSubject most rows of each subject, its first one included
	 * @return the rows, in insert order
	 */
	List<OutboxRow> following(Collection<String> subjects, int perSubject) {
		if (subjects.isEmpty() || perSubject < 2) {
			return List.of();
		}
		return this.jdbc.sql(
				"SELECT * FROM (SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.subject ORDER BY o.id) AS rank_in_subject"
						+ " FROM " + this.table + " o WHERE o.status = :status AND o.subject IN (:subjects)) r"
						+ " WHERE r.rank_in_subject BETWEEN 2 AND :last ORDER BY r.id")
			.param("status", PENDING)
			.param("subjects", subjects)
			.param("last", perSubject)
			.query(this::row)
			.list();
	}

	/**
	 * Settle rows the broker took: delete them, or mark them sent.
	 * @param ids the rows
	 * @param keep whether to keep them, marked sent
	 * @param now the time
	 */
	void sent(List<Long> ids, boolean keep, Instant now) {
		if (ids.isEmpty()) {
			return;
		}
		String in = String.join(",", ids.stream().map(String::valueOf).toList());
		if (keep) {
			this.jdbc.sql("UPDATE " + this.table + " SET status = ?, sent_at = ? WHERE id IN (" + in + ")")
				.params(SENT, Timestamp.from(now))
				.update();
		}
		else {
			this.jdbc.sql("DELETE FROM " + this.table + " WHERE id IN (" + in + ")").update();
		}
	}

	/**
	 * Record a failed send: the row stays pending until it is due again, or is marked
	 * failed when it was the last attempt.
	 * @param row the row
	 * @param failure why the send failed
	 * @param retryAt when to send it again, or {@code null} to give up
	 * @param now the time
	 */
	void failedSend(OutboxRow row, Throwable failure, @Nullable Instant retryAt, Instant now) {
		Instant firstFailure = (row.firstFailureAt() != null) ? row.firstFailureAt() : now;
		this.jdbc
			.sql("UPDATE " + this.table + " SET status = ?, attempts = ?, available_at = ?, first_failure_at = ?,"
					+ " last_failure_at = ?, last_exception = ?, last_error = ? WHERE id = ?")
			.params((retryAt != null) ? PENDING : FAILED, row.attempts() + 1,
					Timestamp.from((retryAt != null) ? retryAt : now), Timestamp.from(firstFailure),
					Timestamp.from(now), failure.getClass().getName(), truncate(String.valueOf(failure.getMessage())),
					row.id())
			.update();
	}

	/**
	 * How many rows are pending, and since when the oldest.
	 * @return the figures
	 */
	OutboxFigures figures() {
		return this.jdbc
			.sql("SELECT COUNT(*), MIN(created_at), (SELECT COUNT(*) FROM " + this.table + " WHERE status = ?) FROM "
					+ this.table + " WHERE status = ?")
			.params(FAILED, PENDING)
			.query((rs, rowNum) -> new OutboxFigures(rs.getLong(1), instant(rs.getTimestamp(2)), rs.getLong(3)))
			.single();
	}

	/**
	 * The rows of a destination that failed for good, oldest first.
	 * @param destination the destination
	 * @param limit most rows
	 * @return the rows
	 */
	List<OutboxRow> failed(String destination, int limit) {
		return this.jdbc
			.sql("SELECT * FROM " + this.table + " WHERE status = ? AND destination = ? ORDER BY id LIMIT " + limit)
			.params(FAILED, destination)
			.query(this::row)
			.list();
	}

	boolean removeFailed(long id) {
		return this.jdbc.sql("DELETE FROM " + this.table + " WHERE id = ? AND status = ?")
			.params(id, FAILED)
			.update() > 0;
	}

	int purgeFailed(String destination) {
		return this.jdbc.sql("DELETE FROM " + this.table + " WHERE status = ? AND destination = ?")
			.params(FAILED, destination)
			.update();
	}

	private OutboxRow row(ResultSet rs, int rowNum) throws SQLException {
		return new OutboxRow(rs.getLong("id"), rs.getString("event_id"), rs.getString("destination"),
				rs.getString("subject"), this.jsonMapper.readValue(rs.getString("headers"), HEADERS),
				rs.getBytes("body"), rs.getInt("attempts"),
				Objects.requireNonNull(instant(rs.getTimestamp("created_at")), "created_at"),
				instant(rs.getTimestamp("first_failure_at")), instant(rs.getTimestamp("last_failure_at")),
				rs.getString("last_exception"), rs.getString("last_error"));
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static String truncate(String text) {
		return (text.length() > MAX_ERROR_LENGTH) ? text.substring(0, MAX_ERROR_LENGTH) : text;
	}

	/**
	 * What the outbox holds.
	 *
	 * @param pending rows not sent yet
	 * @param oldestPending when the oldest of them was recorded, or {@code null}
	 * @param failed rows given up on, waiting as dead letters
	 */
	public record OutboxFigures(long pending, @Nullable Instant oldestPending, long failed) {

		static final OutboxFigures UNKNOWN = new OutboxFigures(0, null, 0);

	}

}
