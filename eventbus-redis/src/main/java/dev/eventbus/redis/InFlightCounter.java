package dev.eventbus.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts commands sent and not yet answered, so that closing can wait for them without keeping a
 * reference to each. Thread safe.
 */
final class InFlightCounter {

	private final AtomicLong count = new AtomicLong();

	private final AtomicInteger waiters = new AtomicInteger();

	private final Object monitor = new Object();

	void begin(int commands) {
		this.count.addAndGet(commands);
	}

	void end(int commands) {
		if (this.count.addAndGet(-commands) == 0 && this.waiters.get() > 0) {
			synchronized (this.monitor) {
				this.monitor.notifyAll();
			}
		}
	}

	long count() {
		return this.count.get();
	}

	/**
	 * Wait until no command is in flight.
	 * @param timeout the longest wait
	 * @return whether none was in flight in time
	 */
	boolean await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			this.waiters.incrementAndGet();
			try {
				while (this.count.get() > 0) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return false;
					}
					TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				}
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			finally {
				this.waiters.decrementAndGet();
			}
		}
	}

}
