package dev.eventbus.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.jdbc.JdbcOutbox.OutboxFigures;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the rows of the outbox through the adapter, on a thread of its own: at once when
 * a transaction that recorded rows commits ({@link #wake()}), and every sweep interval
 * for rows left by a crash, due again after a failure, or committed by another instance.
 * <p>
 * Each round runs in a transaction of its own on the outbox's data source: it claims up
 * to a batch of rows with {@code SELECT ... FOR UPDATE SKIP LOCKED} (of a subject, only
 * its first pending row: a subject's rows go one at a time, in insert order), sends them,
 * waits for the broker to take each, then deletes those it took (or marks them sent) and
 * records the failures, and commits. Several instances share the work: a row locked by
 * one relay is skipped by the others, so a row is sent once in the normal case. A relay
 * that dies after the broker took a row and before its commit leaves the row pending, and
 * it is sent again, with the same event id (at-least-once: idempotent handlers apply it
 * once). A failed send is retried after the backoff of the settings; after the last
 * attempt the row is marked failed, no longer holds its subject back, and waits as a dead
 * letter. Rounds follow each other while they find rows. Thread safe.
 */
public final class OutboxRelay implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final JdbcOutbox outbox;

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final OutboxSettings settings;

	private final TransactionTemplate transactions;

	private final Semaphore wakeUps = new Semaphore(0);

	private volatile OutboxFigures figures = OutboxFigures.UNKNOWN;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	private @Nullable String lastError;

	/**
	 * Create a relay.
	 * @param outbox the outbox
	 * @param dataSource the outbox's data source, on which each round runs its own
	 * transaction
	 * @param adapter the adapter that sends, not the outbox's decorator of it
	 * @param codec decodes rows into events, which the adapter encodes its own way
	 * @param settings how to send
	 */
	public OutboxRelay(JdbcOutbox outbox, DataSource dataSource, EventBusAdapter adapter, JsonEventCodec codec,
			OutboxSettings settings) {
		this.outbox = outbox;
		this.adapter = adapter;
		this.codec = codec;
		this.settings = settings;
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/**
	 * Start the relay's thread. Does nothing when it runs.
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		Thread started = new Thread(this::run, "eventbus-outbox-relay");
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	/**
	 * Look for rows at once: called when a transaction that recorded rows committed.
	 */
	public void wake() {
		if (this.wakeUps.availablePermits() == 0) {
			this.wakeUps.release();
		}
	}

	/**
	 * What the outbox holds, as of the relay's last look (every sweep interval).
	 * @return the figures
	 */
	public OutboxFigures figures() {
		return this.figures;
	}

	/**
	 * Stop the thread, letting the round in progress finish.
	 */
	@Override
	public void close() {
		Thread running;
		synchronized (this) {
			this.running = false;
			running = this.thread;
			this.thread = null;
		}
		if (running != null) {
			this.wakeUps.release();
			try {
				running.join(this.settings.sendTimeout().plusSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		long nextFigures = 0;
		while (this.running) {
			try {
				int sent = relayOnce();
				if (System.nanoTime() - nextFigures >= 0) {
					this.figures = this.outbox.figures();
					nextFigures = System.nanoTime() + this.settings.sweepInterval().toNanos();
				}
				recovered();
				if (sent == 0) {
					this.wakeUps.tryAcquire(this.settings.sweepInterval().toNanos(), TimeUnit.NANOSECONDS);
					this.wakeUps.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				failed(ex);
				try {
					this.wakeUps.tryAcquire(this.settings.sweepInterval().toNanos(), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Run one round now, on the calling thread: claim, send and settle a batch of rows,
	 * in one transaction. The relay's thread runs rounds on its own; this is for tests
	 * and for draining the outbox by hand.
	 * @return how many rows it sent or failed to send
	 */
	public int relayOnce() {
		Integer settled = this.transactions.execute((status) -> {
			List<List<OutboxRow>> runs = runs(this.outbox.claim(this.settings.batchSize(), Instant.now()));
			if (runs.isEmpty()) {
				return 0;
			}
			List<Long> sent = Collections.synchronizedList(new ArrayList<>());
			Map<OutboxRow, Throwable> failures = new ConcurrentHashMap<>();
			List<CompletableFuture<Void>> sending = new ArrayList<>(runs.size());
			for (List<OutboxRow> run : runs) {
				sending.add(sendInOrder(messages(run), run, 0, sent, failures));
			}
			CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
			failures.forEach(this::failedSend);
			this.outbox.sent(sent, this.settings.keepSent(), Instant.now());
			return sent.size() + failures.size();
		});
		return (settled != null) ? settled : 0;
	}

	/**
	 * The rows a round sends: each claimed row of a subject followed by the next rows of
	 * its subject, a share of the batch size each; each row without a subject on its own.
	 */
	private List<List<OutboxRow>> runs(List<OutboxRow> claimed) {
		List<List<OutboxRow>> runs = new ArrayList<>();
		Map<String, List<OutboxRow>> bySubject = new LinkedHashMap<>();
		for (OutboxRow row : claimed) {
			List<OutboxRow> run = new ArrayList<>(List.of(row));
			runs.add(run);
			if (row.subject() != null) {
				bySubject.put(row.subject(), run);
			}
		}
		int perSubject = this.settings.batchSize() / Math.max(1, bySubject.size());
		for (OutboxRow row : this.outbox.following(bySubject.keySet(), perSubject)) {
			bySubject.get(row.subject()).add(row);
		}
		return runs;
	}

	/**
	 * Send a run's rows one after the other, each once the broker took the one before,
	 * stopping at the first that fails: a subject's rows reach the broker in order.
	 */
	private CompletableFuture<Void> sendInOrder(List<OutboundMessage> messages, List<OutboxRow> run, int index,
			List<Long> sent, Map<OutboxRow, Throwable> failures) {
		if (index == run.size()) {
			return CompletableFuture.completedFuture(null);
		}
		OutboxRow row = run.get(index);
		return send(messages.get(index)).orTimeout(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.handle((result, failure) -> failure)
			.thenCompose((failure) -> {
				if (failure != null) {
					failures.put(row, unwrap(failure));
					return CompletableFuture.completedFuture(null);
				}
				sent.add(row.id());
				return sendInOrder(messages, run, index + 1, sent, failures);
			});
	}

	/**
	 * The messages of rows: the events they hold, encoded by the adapter as any publish;
	 * a row that does not decode as it is.
	 */
	private List<OutboundMessage> messages(List<OutboxRow> rows) {
		List<OutboundMessage> messages = new ArrayList<>(rows.size());
		for (OutboxRow row : rows) {
			try {
				Event<?> event = this.codec.decodeEnvelope(row.headers(), row.body(), "urn:eventbus:outbox");
				messages.add(OutboundMessage.ofEvent(row.destination(), event, this.codec));
			}
			catch (RuntimeException ex) {
				messages.add(OutboundMessage.raw(row.destination(), row.subject(), row.eventId(), row.headers(),
						row.body()));
			}
		}
		return messages;
	}

	private CompletableFuture<SendResult> send(OutboundMessage message) {
		try {
			return this.adapter.send(message);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private Throwable unwrap(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof TimeoutException)
				? new TimeoutException("The broker did not take the event within " + this.settings.sendTimeout())
				: cause;
	}

	private void failedSend(OutboxRow row, Throwable failure) {
		int attempt = row.attempts() + 1;
		Instant now = Instant.now();
		boolean last = attempt >= this.settings.retry().maxAttempts();
		Instant retryAt = last ? null : now.plus(this.settings.retry().delayAfter(attempt));
		if (last) {
			logger.error("Outbox row " + row.id() + " (event " + row.eventId() + " to '" + row.destination()
					+ "') failed its last send of " + attempt + "; it waits as a dead letter of '" + row.destination()
					+ this.settings.deadLetterSuffix() + "'", failure);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Outbox row " + row.id() + " (event " + row.eventId() + ") failed send " + attempt
					+ "; sent again at " + retryAt, failure);
		}
		this.outbox.failedSend(row, failure, retryAt, now);
	}

	private synchronized void failed(RuntimeException ex) {
		if (this.lastError == null) {
			logger.warn("Outbox relay cannot reach the outbox table: " + ex.getMessage() + "; it tries again every "
					+ this.settings.sweepInterval(), ex);
		}
		this.lastError = ex.getMessage();
	}

	private synchronized void recovered() {
		if (this.lastError != null) {
			logger.info("Outbox relay reaches the outbox table again");
			this.lastError = null;
		}
	}

}
