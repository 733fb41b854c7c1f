package dev.eventbus.autoconfigure.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.eventbus.jdbc.JdbcInbox;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes expired inbox records every cleanup interval, on a daemon thread, while the
 * application runs.
 */
final class InboxCleanup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InboxCleanup.class);

	private final JdbcInbox inbox;

	private final Duration retention;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	InboxCleanup(JdbcInbox inbox, Duration retention, Duration interval) {
		this.inbox = inbox;
		this.retention = retention;
		this.interval = interval;
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "eventbus-inbox-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		started.scheduleWithFixedDelay(this::deleteExpired, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.scheduler = started;
	}

	private void deleteExpired() {
		try {
			int deleted = this.inbox.deleteExpired(this.retention);
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " inbox records older than " + this.retention);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired inbox records; trying again in " + this.interval, ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.scheduler;
		this.scheduler = null;
		if (running != null) {
			running.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
