package dev.eventbus.sqs;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits on a monitor until a condition holds or a deadline passes, for the parts of the
 * adapter that drain in-flight work on close. Threads that make the condition true notify
 * the monitor; the wait also looks again at least every 50 ms, so a notification that is
 * skipped (notifiers may skip it while nobody waits) delays a waiter but never strands
 * it.
 */
final class MonitorWait {

	private static final long MAX_SLICE_MILLIS = 50;

	private MonitorWait() {
	}

	/**
	 * Wait until the condition holds.
	 * @param monitor the monitor notified when the condition may have become true
	 * @param condition the condition
	 * @param deadline the end of the wait, in {@link System#nanoTime()}
	 * @return whether the condition holds; {@code false} after the deadline or when
	 * interrupted
	 */
	static boolean until(Object monitor, BooleanSupplier condition, long deadline) {
		synchronized (monitor) {
			while (!condition.getAsBoolean()) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return false;
				}
				try {
					monitor.wait(Math.min(left, MAX_SLICE_MILLIS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

}
