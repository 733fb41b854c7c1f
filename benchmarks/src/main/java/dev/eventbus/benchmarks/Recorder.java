package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the arrivals of one phase at the consumer: the end-to-end latency of each (now
 * minus the send time carried by the event) and the time of the last. Arrivals beyond the
 * expected count (redeliveries) are counted but not recorded. Thread safe.
 */
final class Recorder {

	private volatile Phase phase = new Phase(0);

	/**
	 * Start a phase.
	 * @param expected how many arrivals complete it
	 */
	void begin(int expected) {
		this.phase = new Phase(expected);
	}

	/**
	 * Arrivals of the current phase so far.
	 * @return how many arrived
	 */
	int arrived() {
		return this.phase.arrived.get();
	}

	void record(long sentNanos) {
		Phase current = this.phase;
		long now = System.nanoTime();
		int index = current.arrived.getAndIncrement();
		if (index < current.latencies.length) {
			current.latencies[index] = now - sentNanos;
			current.lastNanos = now;
			current.done.countDown();
		}
	}

	/**
	 * Wait until every expected arrival happened.
	 * @param timeout the longest wait
	 * @return when the last arrived ({@link System#nanoTime()})
	 * @throws IllegalStateException if they did not arrive in time
	 * @throws InterruptedException if interrupted
	 */
	long await(Duration timeout) throws InterruptedException {
		Phase current = this.phase;
		if (!current.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("only " + current.arrived.get() + " of " + current.latencies.length
					+ " events arrived within " + timeout);
		}
		return current.lastNanos;
	}

	/**
	 * A percentile of the latencies of the phase, which must be complete.
	 * @param percentile from 0 to 100
	 * @return the latency in microseconds
	 */
	double percentileMicros(double percentile) {
		long[] sorted = this.phase.latencies.clone();
		Arrays.sort(sorted);
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1_000.0;
	}

	private static final class Phase {

		private final long[] latencies;

		private final AtomicInteger arrived = new AtomicInteger();

		private final CountDownLatch done;

		private volatile long lastNanos;

		Phase(int expected) {
			this.latencies = new long[expected];
			this.done = new CountDownLatch(expected);
		}

	}

}
