package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A pool of at most {@code maxThreads} threads that hands each task to the thread that became idle
 * most recently, starts a new thread only when none is idle, and queues tasks while every thread is
 * busy. Idle threads end after the keep-alive time.
 * <p>
 * {@link ThreadPoolExecutor} does the opposite on both counts: below its core size it starts a new
 * thread for every task, and then it wakes the thread that has been idle longest, because its idle
 * threads wait on the queue's condition in arrival order. A lane whose drain task ends after a quiet
 * spell then moves to a cold thread each time, and its work rotates over the whole pool. Handing
 * work to the most recently idle thread keeps a few busy lanes on a few warm threads and lets the
 * rest expire. {@link ForkJoinPool} wakes its workers in that order too, but its threads are
 * {@code ForkJoinWorkerThread}s, not the handler threads the pool's thread factory makes.
 * <p>
 * Tasks are submitted rarely (a busy lane keeps its task), so the pool's state is guarded by one
 * lock; a thread waits for its next task parked, and is handed it directly. Thread safe.
 */
final class WorkerPool {

	private final ThreadFactory threadFactory;

	private final int maxThreads;

	private final long keepAliveNanos;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition terminated = this.lock.newCondition();

	/** Every thread of the pool, guarded by {@link #lock}. */
	private final Set<Worker> workers = new HashSet<>();

	/** Idle threads, the most recently idle first; guarded by {@link #lock}. */
	private final ArrayDeque<Worker> idle = new ArrayDeque<>();

	/**
	 * Tasks waiting for a thread, guarded by {@link #lock}; only ever non-empty while no thread is
	 * idle.
	 */
	private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();

	/** The size of {@link #backlog}, for readers outside the lock. */
	private volatile int waiting;

	private volatile boolean shutdown;

	private volatile boolean stopping;

	WorkerPool(ThreadFactory threadFactory, int maxThreads, Duration keepAlive) {
		if (maxThreads < 1) {
			throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
		}
		this.threadFactory = threadFactory;
		this.maxThreads = maxThreads;
		this.keepAliveNanos = keepAlive.toNanos();
	}

	/**
	 * Run a task on the most recently idle thread, on a new thread if none is idle and the pool may
	 * grow, or else on the first thread to become free.
	 * @param task the task
	 * @return {@code false} if the pool is shut down
	 */
	boolean execute(Runnable task) {
		Worker worker;
		this.lock.lock();
		try {
			if (this.shutdown) {
				return false;
			}
			worker = this.idle.pollFirst();
			if (worker != null) {
				worker.next = task;
			}
			else if (this.workers.size() < this.maxThreads) {
				worker = new Worker(task);
				this.workers.add(worker);
			}
			else {
				this.backlog.addLast(task);
				this.waiting = this.backlog.size();
				return true;
			}
		}
		finally {
			this.lock.unlock();
		}
		worker.wake();
		return true;
	}

	/**
	 * Whether tasks wait for a thread: every thread is busy and the pool may not grow.
	 * @return whether tasks are queued
	 */
	boolean hasWaitingTasks() {
		return this.waiting > 0;
	}

	/**
	 * The number of threads running a task.
	 * @return the busy threads
	 */
	int activeThreads() {
		this.lock.lock();
		try {
			return this.workers.size() - this.idle.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The number of threads, busy or idle.
	 * @return the threads
	 */
	int threads() {
		this.lock.lock();
		try {
			return this.workers.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Accept no more tasks; queued ones still run, idle threads end.
	 */
	void shutdown() {
		this.lock.lock();
		try {
			this.shutdown = true;
			this.idle.forEach(Worker::wake);
			signalIfTerminated();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Accept no more tasks, drop queued ones and interrupt the threads running a task.
	 */
	void shutdownNow() {
		this.lock.lock();
		try {
			this.shutdown = true;
			this.stopping = true;
			this.backlog.clear();
			this.waiting = 0;
			this.workers.forEach((worker) -> worker.thread.interrupt());
			signalIfTerminated();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Wait for every thread to end after a shutdown.
	 * @param timeout the longest wait
	 * @return whether every thread ended
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean awaitTermination(Duration timeout) throws InterruptedException {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (!this.shutdown || !this.workers.isEmpty()) {
				if (remaining <= 0) {
					return false;
				}
				remaining = this.terminated.awaitNanos(remaining);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Signal waiters for termination if the pool is shut down and empty; {@link #lock} is held. */
	private void signalIfTerminated() {
		if (this.shutdown && this.workers.isEmpty()) {
			this.terminated.signalAll();
		}
	}

	/**
	 * One thread of the pool: runs the task it was created with, then queued tasks and tasks handed
	 * to it while idle, until it has been idle for the keep-alive time or the pool shuts down.
	 */
	private final class Worker implements Runnable {

		private final Thread thread;

		/**
		 * The task handed to this worker: set under the pool's lock when the worker is taken off
		 * {@link WorkerPool#idle}, cleared by the worker. While it is idle and {@code null}, the
		 * worker is on {@link WorkerPool#idle}.
		 */
		private volatile @Nullable Runnable next;

		private boolean started;

		Worker(Runnable first) {
			this.next = first;
			this.thread = WorkerPool.this.threadFactory.newThread(this);
		}

		/**
		 * Start the thread, or wake it if it waits for a task. Starting happens without
		 * {@link WorkerPool#lock} held; waking a started thread only unparks it, so may happen with it.
		 */
		void wake() {
			if (this.started) {
				LockSupport.unpark(this.thread);
				return;
			}
			this.started = true;
			try {
				this.thread.start();
			}
			catch (RuntimeException | Error ex) {
				retire();
				throw ex;
			}
		}

		@Override
		public void run() {
			Runnable task = this.next;
			this.next = null;
			while (task != null) {
				runTask(task);
				task = awaitTask();
			}
		}

		private void runTask(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				Thread.UncaughtExceptionHandler handler = this.thread.getUncaughtExceptionHandler();
				handler.uncaughtException(this.thread, ex);
			}
			if (!WorkerPool.this.stopping) {
				// an interrupt aimed at the task must not end the next task's wait or the pool's
				Thread.interrupted();
			}
		}

		/**
		 * Take a queued task or wait, idle, for one to be handed over.
		 * @return the task, or {@code null} when this thread ends
		 */
		private @Nullable Runnable awaitTask() {
			WorkerPool pool = WorkerPool.this;
			pool.lock.lock();
			try {
				Runnable queued = pool.backlog.pollFirst();
				if (queued != null) {
					pool.waiting = pool.backlog.size();
					return queued;
				}
				if (pool.shutdown) {
					retireLocked();
					return null;
				}
				pool.idle.addFirst(this);
			}
			finally {
				pool.lock.unlock();
			}
			long deadline = System.nanoTime() + pool.keepAliveNanos;
			while (true) {
				Runnable task = this.next;
				if (task != null) {
					this.next = null;
					return task;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || pool.shutdown) {
					return leaveIdle();
				}
				Thread.interrupted();
				LockSupport.parkNanos(this, remaining);
			}
		}

		/**
		 * Stop waiting: take a task handed over meanwhile, or end this thread.
		 * @return the task, or {@code null} when this thread ends
		 */
		private @Nullable Runnable leaveIdle() {
			WorkerPool pool = WorkerPool.this;
			pool.lock.lock();
			try {
				Runnable task = this.next;
				if (task != null) {
					this.next = null;
					return task;
				}
				pool.idle.remove(this);
				retireLocked();
				return null;
			}
			finally {
				pool.lock.unlock();
			}
		}

		private void retire() {
			WorkerPool.this.lock.lock();
			try {
				retireLocked();
			}
			finally {
				WorkerPool.this.lock.unlock();
			}
		}

		private void retireLocked() {
			WorkerPool.this.workers.remove(this);
			signalIfTerminated();
		}

	}

}
