package dev.eventbus.kafka;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;

/**
 * Tracks whether the adapter reaches the broker, from the outcome of sends, health checks
 * and, while subscriptions run, a periodic probe, and logs the loss of the connection and
 * its recovery once each, not per failed request or poll. The Kafka clients reconnect by
 * themselves; this only reports. Thread safe.
 */
final class BrokerConnectionMonitor implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(BrokerConnectionMonitor.class);

	private final String bootstrapServers;

	private final AtomicBoolean lost = new AtomicBoolean();

	private @Nullable ScheduledExecutorService prober;

	BrokerConnectionMonitor(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Probe the broker periodically from now on, on a daemon thread; later calls do
	 * nothing.
	 * @param probe throws when the broker cannot be reached
	 * @param period time between probes
	 */
	synchronized void startProbing(Runnable probe, Duration period) {
		if (this.prober != null) {
			return;
		}
		this.prober = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "eventbus-kafka-connection-probe");
			thread.setDaemon(true);
			return thread;
		});
		this.prober.scheduleWithFixedDelay(() -> {
			try {
				probe.run();
				reached();
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
		}, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Record a request that reached the broker.
	 */
	void reached() {
		if (this.lost.compareAndSet(true, false)) {
			logger.info("Kafka broker at " + this.bootstrapServers + " is reachable again");
		}
	}

	/**
	 * Record a failed request; only failures that mean the broker is unreachable count.
	 * @param failure the failure
	 */
	void failed(Throwable failure) {
		if (isConnectionFailure(failure) && this.lost.compareAndSet(false, true)) {
			logger.warn("Lost the connection to the Kafka broker at " + this.bootstrapServers + " ("
					+ failure.getMessage() + "); the clients keep reconnecting");
		}
	}

	boolean lost() {
		return this.lost.get();
	}

	static boolean isConnectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public synchronized void close() {
		if (this.prober != null) {
			this.prober.shutdownNow();
			this.prober = null;
		}
	}

}
