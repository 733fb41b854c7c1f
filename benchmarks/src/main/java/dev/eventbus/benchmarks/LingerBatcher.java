package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Groups items into batches of up to {@code maxBatch}, sent when full or {@code linger}
 * after the first item of the batch arrived, as the SDK's batch manager does. Each item's
 * future completes with its batch. Thread safe.
 *
 * @param <T> the item type
 */
final class LingerBatcher<T> {

	private final int maxBatch;

	private final Duration linger;

	private final ScheduledExecutorService scheduler;

	private final Function<List<T>, CompletableFuture<?>> send;

	private List<T> items = new ArrayList<>();

	private List<CompletableFuture<Void>> futures = new ArrayList<>();

	private long generation;

	LingerBatcher(int maxBatch, Duration linger, ScheduledExecutorService scheduler,
			Function<List<T>, CompletableFuture<?>> send) {
		this.maxBatch = maxBatch;
		this.linger = linger;
		this.scheduler = scheduler;
		this.send = send;
	}

	CompletableFuture<Void> add(T item) {
		CompletableFuture<Void> future = new CompletableFuture<>();
		synchronized (this) {
			this.items.add(item);
			this.futures.add(future);
			if (this.items.size() >= this.maxBatch) {
				flush();
			}
			else if (this.items.size() == 1) {
				long current = this.generation;
				this.scheduler.schedule(() -> flushIf(current), this.linger.toNanos(), TimeUnit.NANOSECONDS);
			}
		}
		return future;
	}

	private synchronized void flushIf(long expected) {
		if (this.generation == expected && !this.items.isEmpty()) {
			flush();
		}
	}

	private void flush() {
		List<T> batch = this.items;
		List<CompletableFuture<Void>> done = this.futures;
		this.items = new ArrayList<>();
		this.futures = new ArrayList<>();
		this.generation++;
		this.send.apply(batch).whenComplete((result, ex) -> {
			for (CompletableFuture<Void> future : done) {
				if (ex != null) {
					future.completeExceptionally(ex);
				}
				else {
					future.complete(null);
				}
			}
		});
	}

}
