package dev.eventbus.memory;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.HandlerThread;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads of an in-memory adapter: a bounded pool that drains lanes and calls listeners, and
 * one timer thread for delayed redeliveries. The pool hands a task to its most recently idle
 * thread (see {@link WorkerPool}); its task queue holds at most one task per lane, so it is
 * bounded by the number of lanes. Thread safe.
 */
final class MemoryWorkers {

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(1);

	private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

	private final WorkerPool pool;

	private final ScheduledThreadPoolExecutor timer;

	MemoryWorkers(InMemoryAdapterSettings settings) {
		CustomizableThreadFactory workerThreads = new CustomizableThreadFactory(settings.threadNamePrefix()) {

			@Override
			public Thread createThread(Runnable runnable) {
				Thread thread = new HandlerThread(getThreadGroup(), runnable, nextThreadName());
				thread.setPriority(getThreadPriority());
				thread.setDaemon(isDaemon());
				return thread;
			}

		};
		workerThreads.setDaemon(true);
		this.pool = new WorkerPool(workerThreads, settings.maxThreads(), KEEP_ALIVE);
		CustomizableThreadFactory timerThreads = new CustomizableThreadFactory(settings.threadNamePrefix() + "timer-");
		timerThreads.setDaemon(true);
		this.timer = new ScheduledThreadPoolExecutor(1, timerThreads);
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * Run a task on the pool.
	 * @param task the task
	 * @return {@code false} if the pool is shut down
	 */
	boolean execute(Runnable task) {
		return this.pool.execute(task);
	}

	/**
	 * Run a short, non-blocking task on the timer thread after a delay.
	 * @param task the task
	 * @param delay the delay
	 * @return {@code false} if the timer is shut down
	 */
	boolean schedule(Runnable task, Duration delay) {
		try {
			this.timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Stop both executors: pending timers are dropped, running listeners get a short time to return
	 * before they are interrupted.
	 */
	void shutdown() {
		this.timer.shutdownNow();
		this.pool.shutdown();
		try {
			if (!this.pool.awaitTermination(SHUTDOWN_WAIT)) {
				this.pool.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.pool.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Whether tasks wait for a thread: every thread of the pool is busy.
	 * @return whether the pool's queue holds tasks
	 */
	boolean hasWaitingTasks() {
		return this.pool.hasWaitingTasks();
	}

	/**
	 * The number of pool threads running a task.
	 * @return the busy threads
	 */
	int activeThreads() {
		return this.pool.activeThreads();
	}

}
