package dev.eventbus.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * Runs handlings that have a timeout. The handler runs on the calling thread; when the
 * timeout passes first, that thread is interrupted, and the handling counts as failed
 * with a {@link TimeoutException} even if the handler ignores the interrupt and returns
 * normally later. The timer thread is created on first use. Thread safe.
 */
final class HandlerTimeouts implements AutoCloseable {

	private static final int RUNNING = 0;

	private static final int FINISHED = 1;

	private static final int TIMED_OUT = 2;

	private @Nullable ScheduledThreadPoolExecutor timer;

	/**
	 * Run a handling, failing it if it takes longer than the timeout.
	 * @param event the event
	 * @param timeout the timeout, or {@code null} for none
	 * @param handling the handling
	 * @throws Throwable what the handling threw, or a {@link TimeoutException}
	 */
	void run(Event<?> event, @Nullable Duration timeout, HandlerChain handling) throws Throwable {
		call(timeout, () -> {
			handling.proceed(event);
			return null;
		});
	}

	/**
	 * Run a handling that returns a result, failing it if it takes longer than the
	 * timeout.
	 * @param timeout the timeout, or {@code null} for none
	 * @param handling the handling
	 * @param <T> the result type
	 * @return what the handling returned
	 * @throws Throwable what the handling threw, or a {@link TimeoutException}
	 */
	<T> @Nullable T call(@Nullable Duration timeout, Handling<T> handling) throws Throwable {
		if (timeout == null) {
			return handling.call();
		}
		AtomicInteger state = new AtomicInteger(RUNNING);
		Thread thread = Thread.currentThread();
		ScheduledFuture<?> alarm = timer().schedule(() -> {
			if (state.compareAndSet(RUNNING, TIMED_OUT)) {
				thread.interrupt();
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		T result;
		try {
			result = handling.call();
		}
		finally {
			alarm.cancel(false);
			if (!state.compareAndSet(RUNNING, FINISHED)) {
				Thread.interrupted();
			}
		}
		if (state.get() == TIMED_OUT) {
			throw new TimeoutException("Handler ran longer than its timeout of " + timeout);
		}
		return result;
	}

	private synchronized ScheduledThreadPoolExecutor timer() {
		if (this.timer == null) {
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "eventbus-handler-timeout");
				thread.setDaemon(true);
				return thread;
			});
			timer.setRemoveOnCancelPolicy(true);
			this.timer = timer;
		}
		return this.timer;
	}

	/**
	 * A handling that returns a result.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	interface Handling<T> {

		@Nullable T call() throws Throwable;

	}

	@Override
	public synchronized void close() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

}
