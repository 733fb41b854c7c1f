package dev.eventbus.autoconfigure.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes expired rows (inbox records, event log entries) every interval, on a daemon
 * thread, while the application runs.
 */
final class PeriodicCleanup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PeriodicCleanup.class);

	private final String what;

	private final IntSupplier cleanup;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a cleanup.
	 * @param what what it deletes, for its thread's name and its log
	 * @param cleanup deletes, returning how many rows
	 * @param interval how often
	 */
	PeriodicCleanup(String what, IntSupplier cleanup, Duration interval) {
		this.what = what;
		this.cleanup = cleanup;
		this.interval = interval;
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "eventbus-" + this.what.replace(' ', '-') + "-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		started.scheduleWithFixedDelay(this::cleanUp, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
		this.scheduler = started;
	}

	private void cleanUp() {
		try {
			int deleted = this.cleanup.getAsInt();
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " expired " + this.what + " rows");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired " + this.what + " rows; trying again in " + this.interval, ex);
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
