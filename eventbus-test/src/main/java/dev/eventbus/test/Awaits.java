package dev.eventbus.test;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for asynchronous outcomes, without a dependency on an await library.
 * Thread safe.
 */
public final class Awaits {

	/** Time between two checks of a condition. */
	public static final Duration POLL_INTERVAL = Duration.ofMillis(5);

	private Awaits() {
	}

	/**
	 * Wait until a condition holds, checking it every {@link #POLL_INTERVAL}.
	 * @param timeout the longest wait
	 * @param condition the condition; exceptions it throws propagate at once
	 * @param failureMessage describes what was expected, computed only on timeout
	 * @throws AssertionError with the failure message if the condition does not hold in
	 * time, or if the waiting thread is interrupted
	 */
	public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> failureMessage) {
		Objects.requireNonNull(timeout, "timeout");
		Objects.requireNonNull(condition, "condition");
		Objects.requireNonNull(failureMessage, "failureMessage");
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new AssertionError(failureMessage.get() + " (waited " + timeout.toMillis() + "ms)");
			}
			LockSupport.parkNanos(Math.min(remaining, POLL_INTERVAL.toNanos()));
			if (Thread.currentThread().isInterrupted()) {
				throw new AssertionError("Interrupted while waiting: " + failureMessage.get());
			}
		}
	}

	/**
	 * Wait until a condition holds.
	 * @param timeout the longest wait
	 * @param condition the condition
	 * @param failureMessage describes what was expected
	 * @throws AssertionError if the condition does not hold in time
	 */
	public static void await(Duration timeout, BooleanSupplier condition, String failureMessage) {
		await(timeout, condition, () -> failureMessage);
	}

}
