package dev.eventbus.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.sql.DataSource;

import dev.eventbus.api.Event;
import dev.eventbus.runtime.EventInbox;
import dev.eventbus.runtime.HandlerChain;
import dev.eventbus.runtime.HandlerInfo;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox table: an idempotent handler runs in a transaction of the application's
 * transaction manager that first inserts a claim of (consumer group, handler id, event
 * source, event id). The claim's key is unique, so a claim that exists already means the
 * handler took the event before: the transaction is rolled back and the handler skipped.
 * A handler that throws rolls its claim back with its own work, and the retry runs it
 * again. Two instances given the same event at once are serialized by the key: the second
 * insert waits for the first transaction, then finds the claim (or, if the first rolled
 * back, makes its own). The table must be in the database of that transaction manager.
 * <p>
 * The key is the SHA-256 of the four values, so it fits any database's key length; the
 * values are stored beside it for people reading the table. Claims older than the
 * retention are deleted by {@link #deleteExpired}, in bounded batches. Thread safe.
 */
public final class JdbcInbox implements EventInbox {

	private static final int DELETE_BATCH = 1_000;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JdbcPlatform platform;

	private final String table;

	/**
	 * Create the inbox.
	 * @param dataSource the database, the one the transaction manager runs on
	 * @param transactionManager the application's transaction manager
	 * @param platform the database's platform
	 * @param tables the table names
	 */
	public JdbcInbox(DataSource dataSource, PlatformTransactionManager transactionManager, JdbcPlatform platform,
			JdbcTables tables) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(transactionManager);
		this.platform = platform;
		this.table = tables.inbox();
	}

	@Override
	public boolean handleOnce(HandlerInfo handler, Event<?> event, HandlerChain handling) throws Throwable {
		try {
			Boolean ran = this.transactions.execute((status) -> {
				if (!claim(handler, event)) {
					status.setRollbackOnly();
					return false;
				}
				try {
					handling.proceed(event);
				}
				catch (RuntimeException | Error ex) {
					throw ex;
				}
				catch (Throwable ex) {
					throw new HandlerFailure(ex);
				}
				return true;
			});
			return Boolean.TRUE.equals(ran);
		}
		catch (HandlerFailure ex) {
			throw ex.getCause();
		}
	}

	private boolean claim(HandlerInfo handler, Event<?> event) {
		try {
			this.jdbc
				.sql("INSERT INTO " + this.table
						+ " (claim_key, consumer_group, handler_id, event_source, event_id, handled_at)"
						+ " VALUES (?, ?, ?, ?, ?, ?)")
				.params(key(handler.subscriptionGroup(), handler.id(), event.source(), event.id()),
						handler.subscriptionGroup(), handler.id(), event.source(), event.id(),
						Timestamp.from(Instant.now()))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Delete claims older than the retention, at most a batch at once, until none is
	 * left.
	 * @param retention how long a claim is kept
	 * @return how many were deleted
	 */
	public int deleteExpired(Duration retention) {
		String delete = this.platform.boundedDelete(this.table, "claim_key", "handled_at < ?", DELETE_BATCH);
		Timestamp before = Timestamp.from(Instant.now().minus(retention));
		int deleted = 0;
		int batch;
		do {
			batch = this.jdbc.sql(delete).param(before).update();
			deleted += batch;
		}
		while (batch == DELETE_BATCH);
		return deleted;
	}

	/**
	 * A key of values: the SHA-256 of each, each followed by a zero byte, in hexadecimal.
	 * @param parts the values
	 * @return the key, 64 characters
	 */
	static String key(String... parts) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String part : parts) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * Carries a checked exception of the handler out of the transaction callback.
	 */
	private static final class HandlerFailure extends RuntimeException {

		HandlerFailure(Throwable cause) {
			super(cause);
		}

	}

}
