package dev.eventbus.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;
import dev.eventbus.codec.TypePattern;
import dev.eventbus.runtime.EventBusInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records in the {@link EventLog} the events this application publishes, of the types it
 * is given. An event published in a transaction is recorded in that transaction, on the
 * publishing thread: with the outbox, it is logged exactly when it commits. An event
 * published outside a transaction is recorded once the broker accepted it, on a thread of
 * the recorder's own, so that a broker client's callback thread never waits for the
 * database; up to {@value #CAPACITY} wait there, beyond that they are dropped from the
 * log and counted. Thread safe.
 */
public final class EventLogRecorder implements EventBusInterceptor, AutoCloseable {

	private static final Log logger = LogFactory.getLog(EventLogRecorder.class);

	static final int CAPACITY = 10_000;

	private final EventLog log;

	private final List<TypePattern> types;

	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>(CAPACITY);

	private final AtomicLong dropped = new AtomicLong();

	private final Thread writer;

	private volatile boolean running = true;

	/**
	 * Create a recorder and start its thread.
	 * @param log the log
	 * @param types type patterns of the events to record; empty for every type
	 */
	public EventLogRecorder(EventLog log, List<String> types) {
		this.log = log;
		this.types = types.stream().map(TypePattern::of).toList();
		this.writer = new Thread(this::write, "eventbus-event-log");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/**
	 * Whether events of a type are recorded.
	 * @param type the type
	 * @return whether a pattern matches, or there are none
	 */
	public boolean records(String type) {
		return this.types.isEmpty() || this.types.stream().anyMatch((pattern) -> pattern.matches(type));
	}

	@Override
	public void published(Event<?> event, PublishResult result) {
		if (!records(event.type())) {
			return;
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			this.log.record(event, result.destination());
		}
		else if (!this.pending.offer(new Pending(event, result.destination()))) {
			this.dropped.incrementAndGet();
			logger.warn("Event log recorder is " + CAPACITY + " events behind: event " + event.id() + " is not logged");
		}
	}

	/**
	 * Events published outside a transaction that were not logged because the recorder
	 * was too far behind.
	 * @return how many
	 */
	public long dropped() {
		return this.dropped.get();
	}

	private void write() {
		while (this.running || !this.pending.isEmpty()) {
			Pending next;
			try {
				next = this.pending.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (next != null) {
				try {
					this.log.record(next.event(), next.destination());
				}
				catch (RuntimeException ex) {
					logger.warn("Could not log event " + next.event().id() + ": " + ex.getMessage(), ex);
				}
			}
		}
	}

	/**
	 * Record what is waiting, for up to 10 seconds, and stop the thread.
	 */
	@Override
	public void close() {
		this.running = false;
		try {
			this.writer.join(Duration.ofSeconds(10).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Pending(Event<?> event, String destination) {
	}

}
