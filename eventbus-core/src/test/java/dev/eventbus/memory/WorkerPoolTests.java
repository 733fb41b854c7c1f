package dev.eventbus.memory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerPool}.
 */
class WorkerPoolTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private final AtomicInteger created = new AtomicInteger();

	private final ThreadFactory threads = (task) -> {
		Thread thread = new Thread(task, "pool-" + this.created.incrementAndGet());
		thread.setDaemon(true);
		thread.setUncaughtExceptionHandler((failed, ex) -> this.uncaught.add(ex));
		return thread;
	};

	private WorkerPool pool = new WorkerPool(this.threads, 4, Duration.ofSeconds(30));

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	@Test
	void taskGoesToTheThreadThatBecameIdleMostRecently() throws Exception {
		CountDownLatch[] releases = { new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1) };
		AtomicReferenceArray<Thread> ran = new AtomicReferenceArray<>(releases.length);
		for (int i = 0; i < releases.length; i++) {
			int task = i;
			this.pool.execute(() -> {
				ran.set(task, Thread.currentThread());
				awaitUninterruptibly(releases[task]);
			});
		}
		await().atMost(TIMEOUT).until(() -> this.pool.activeThreads() == 3);
		Thread lastToFinish = null;
		for (int i = 0; i < releases.length; i++) {
			Thread thread = ran.get(i);
			releases[i].countDown();
			await().atMost(TIMEOUT).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
			lastToFinish = thread;
		}
		await().atMost(TIMEOUT).until(() -> this.pool.activeThreads() == 0);
		AtomicReference<Thread> next = new AtomicReference<>();
		this.pool.execute(() -> next.set(Thread.currentThread()));
		await().atMost(TIMEOUT).until(() -> next.get() != null);
		assertThat(next.get()).isSameAs(lastToFinish);
		assertThat(this.pool.threads()).isEqualTo(3);
	}

	@Test
	void tasksRunOneAfterAnotherOnOneThreadWhenEachFindsTheLastOneDone() {
		List<Thread> ran = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 20; i++) {
			int before = ran.size();
			this.pool.execute(() -> ran.add(Thread.currentThread()));
			await().atMost(TIMEOUT).until(() -> ran.size() == before + 1 && this.pool.activeThreads() == 0);
		}
		assertThat(ran).containsOnly(ran.get(0));
		assertThat(this.created).hasValue(1);
	}

	@Test
	void tasksWaitForAThreadOnceEveryThreadIsBusyAndRunWhenOneIsFree() {
		this.pool = new WorkerPool(this.threads, 2, Duration.ofSeconds(30));
		CountDownLatch release = new CountDownLatch(1);
		List<String> ran = new CopyOnWriteArrayList<>();
		for (String name : List.of("a", "b")) {
			this.pool.execute(() -> {
				ran.add(name);
				awaitUninterruptibly(release);
			});
		}
		await().atMost(TIMEOUT).until(() -> ran.size() == 2);
		this.pool.execute(() -> ran.add("c"));
		assertThat(this.pool.hasWaitingTasks()).isTrue();
		assertThat(ran).containsExactlyInAnyOrder("a", "b");
		release.countDown();
		await().atMost(TIMEOUT).until(() -> ran.size() == 3);
		assertThat(this.pool.hasWaitingTasks()).isFalse();
		assertThat(this.created).hasValue(2);
	}

	@Test
	void idleThreadsEndAfterTheKeepAliveTime() {
		this.pool = new WorkerPool(this.threads, 4, Duration.ofMillis(50));
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 3; i++) {
			this.pool.execute(() -> awaitUninterruptibly(release));
		}
		await().atMost(TIMEOUT).until(() -> this.pool.threads() == 3);
		release.countDown();
		await().atMost(TIMEOUT).until(() -> this.pool.threads() == 0);
		AtomicReference<Thread> next = new AtomicReference<>();
		assertThat(this.pool.execute(() -> next.set(Thread.currentThread()))).isTrue();
		await().atMost(TIMEOUT).until(() -> next.get() != null);
		assertThat(next.get().getName()).isEqualTo("pool-4");
	}

	@Test
	void taskThatThrowsIsReportedAndTheThreadGoesOn() {
		this.pool.execute(() -> {
			throw new IllegalStateException("boom");
		});
		await().atMost(TIMEOUT).until(() -> !this.uncaught.isEmpty() && this.pool.activeThreads() == 0);
		AtomicReference<Thread> next = new AtomicReference<>();
		this.pool.execute(() -> next.set(Thread.currentThread()));
		await().atMost(TIMEOUT).until(() -> next.get() != null);
		assertThat(this.uncaught).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
		assertThat(next.get().getName()).isEqualTo("pool-1");
	}

	@Test
	void interruptOfAFinishedTaskDoesNotReachTheNextTask() {
		this.pool.execute(() -> Thread.currentThread().interrupt());
		await().atMost(TIMEOUT).until(() -> this.created.get() == 1 && this.pool.activeThreads() == 0);
		AtomicReference<Boolean> interrupted = new AtomicReference<>();
		this.pool.execute(() -> interrupted.set(Thread.currentThread().isInterrupted()));
		await().atMost(TIMEOUT).until(() -> interrupted.get() != null);
		assertThat(interrupted.get()).isFalse();
		assertThat(this.created).hasValue(1);
	}

	@Test
	void shutdownRunsQueuedTasksRejectsNewOnesAndEndsEveryThread() throws Exception {
		this.pool = new WorkerPool(this.threads, 1, Duration.ofSeconds(30));
		CountDownLatch release = new CountDownLatch(1);
		List<String> ran = new CopyOnWriteArrayList<>();
		this.pool.execute(() -> awaitUninterruptibly(release));
		this.pool.execute(() -> ran.add("queued"));
		this.pool.shutdown();
		assertThat(this.pool.execute(() -> ran.add("late"))).isFalse();
		assertThat(this.pool.awaitTermination(Duration.ofMillis(50))).isFalse();
		release.countDown();
		assertThat(this.pool.awaitTermination(TIMEOUT)).isTrue();
		assertThat(ran).containsExactly("queued");
		assertThat(this.pool.threads()).isZero();
	}

	@Test
	void shutdownEndsIdleThreadsAtOnce() throws Exception {
		this.pool.execute(() -> {
		});
		await().atMost(TIMEOUT).until(() -> this.pool.threads() == 1 && this.pool.activeThreads() == 0);
		this.pool.shutdown();
		assertThat(this.pool.awaitTermination(TIMEOUT)).isTrue();
	}

	@Test
	void shutdownNowDropsQueuedTasksAndInterruptsRunningOnes() throws Exception {
		this.pool = new WorkerPool(this.threads, 1, Duration.ofSeconds(30));
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		List<String> ran = new CopyOnWriteArrayList<>();
		this.pool.execute(() -> {
			started.countDown();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		this.pool.execute(() -> ran.add("queued"));
		assertThat(started.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		this.pool.shutdownNow();
		assertThat(interrupted.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(this.pool.awaitTermination(TIMEOUT)).isTrue();
		assertThat(ran).isEmpty();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				latch.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
