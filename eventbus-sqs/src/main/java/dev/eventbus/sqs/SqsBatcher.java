package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Groups requests to one queue into batch requests of up to {@value #MAX_ENTRIES}
 * entries: a batch goes out on the adding thread as soon as it is full, or before an
 * entry that would take it over {@value #MAX_PAYLOAD_BYTES} bytes, and otherwise one
 * linger after its first entry, from the scheduler. Batches in flight are not limited.
 * Each entry's future completes with that entry's own result; an entry the batch request
 * reports as failed fails with an {@link SqsException} carrying its error code, a failed
 * request fails all its entries. Thread safe.
 * <p>
 * The adapter's only batching: {@link SqsBatchedRequests} holds one batcher for each kind
 * of request.
 *
 * @param <T> what one entry carries
 * @param <R> the result of one entry
 */
final class SqsBatcher<T, R> {

	/** Entries per batch request at most, as SQS allows. */
	static final int MAX_ENTRIES = 10;

	/** Bytes of all bodies and attributes of one batch request at most, as SQS allows. */
	static final int MAX_PAYLOAD_BYTES = 256 * 1024;

	private final Duration linger;

	private final ScheduledExecutorService scheduler;

	private final ToIntFunction<T> size;

	private final BatchCall<T, R> call;

	private final Map<String, Buffer> buffers = new ConcurrentHashMap<>();

	/**
	 * Create a batcher.
	 * @param linger how long the first entry of a batch waits for others
	 * @param scheduler runs the linger flushes
	 * @param size the payload bytes of an entry
	 * @param call sends one batch request
	 */
	SqsBatcher(Duration linger, ScheduledExecutorService scheduler, ToIntFunction<T> size, BatchCall<T, R> call) {
		this.linger = linger;
		this.scheduler = scheduler;
		this.size = size;
		this.call = call;
	}

	/**
	 * Add an entry to the batch of its queue.
	 * @param queueUrl the queue
	 * @param entry the entry
	 * @return completes with the entry's result
	 */
	CompletableFuture<R> add(String queueUrl, T entry) {
		CompletableFuture<R> result = new CompletableFuture<>();
		Buffer buffer = this.buffers.get(queueUrl);
		if (buffer == null) {
			buffer = this.buffers.computeIfAbsent(queueUrl, Buffer::new);
		}
		buffer.add(entry, this.size.applyAsInt(entry), result);
		return result;
	}

	/**
	 * Send every batch still lingering now, for a close.
	 */
	void flush() {
		this.buffers.values().forEach(Buffer::flushNow);
	}

	/**
	 * A batch request's failed entry as an exception.
	 * @param error the entry's error
	 * @return the exception
	 */
	static SqsException entryFailure(BatchResultErrorEntry error) {
		return (SqsException) SqsException.builder()
			.message(error.message())
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(error.code()).errorMessage(error.message()).build())
			.build();
	}

	/**
	 * Sends one batch request and completes the entries' futures with their results.
	 *
	 * @param <T> what one entry carries
	 * @param <R> the result of one entry
	 */
	@FunctionalInterface
	interface BatchCall<T, R> {

		/**
		 * Send a batch. Futures of entries left incomplete when the returned future
		 * completes are failed by the batcher.
		 * @param queueUrl the queue
		 * @param batch the entries and their futures
		 * @return completes when the request was answered
		 */
		CompletableFuture<?> send(String queueUrl, Batch<T, R> batch);

	}

	/**
	 * The entries of one batch request with their futures; entry {@code i} has the id
	 * {@link #id(int) id(i)}.
	 *
	 * @param <T> what one entry carries
	 * @param <R> the result of one entry
	 */
	static final class Batch<T, R> {

		private static final String[] IDS = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

		private final List<T> entries = new ArrayList<>(MAX_ENTRIES);

		private final List<CompletableFuture<R>> results = new ArrayList<>(MAX_ENTRIES);

		private int bytes;

		/**
		 * The entries, in the order they were added.
		 * @return the entries
		 */
		List<T> entries() {
			return this.entries;
		}

		/**
		 * The id of an entry in its batch request.
		 * @param index the entry's index
		 * @return the id
		 */
		static String id(int index) {
			return IDS[index];
		}

		/**
		 * Complete an entry, given by its id in the batch request.
		 * @param id the entry's id
		 * @param result its result
		 */
		void succeeded(String id, R result) {
			CompletableFuture<R> future = result(id);
			if (future != null) {
				future.complete(result);
			}
		}

		/**
		 * Fail an entry, given by its id in the batch request.
		 * @param id the entry's id
		 * @param failure why
		 */
		void failed(String id, Throwable failure) {
			CompletableFuture<R> future = result(id);
			if (future != null) {
				future.completeExceptionally(failure);
			}
		}

		/**
		 * The future of an entry, given by its id as assigned by {@link #id(int)}.
		 * @param id the entry's id
		 * @return the future, or {@code null} when the id is not one of this batch's
		 */
		private @Nullable CompletableFuture<R> result(String id) {
			int index;
			try {
				index = Integer.parseInt(id);
			}
			catch (NumberFormatException ex) {
				return null;
			}
			return (index >= 0 && index < this.results.size()) ? this.results.get(index) : null;
		}

		/**
		 * The entries of the batch request, each built from an entry and its id.
		 * @param <E> the type of a request entry
		 * @param entry builds a request entry from its id and the entry
		 * @return the request entries, in order
		 */
		<E> List<E> requestEntries(BiFunction<String, T, E> entry) {
			List<E> request = new ArrayList<>(this.entries.size());
			for (int i = 0; i < this.entries.size(); i++) {
				request.add(entry.apply(id(i), this.entries.get(i)));
			}
			return request;
		}

		/**
		 * Complete the entries a batch response reports: the successful ones with their
		 * result, the failed ones with an {@link SqsException} carrying the entry's error
		 * code.
		 * @param <S> the type of a successful response entry
		 * @param successful the successful entries of the response
		 * @param id the id of a successful entry
		 * @param result the result of a successful entry
		 * @param errors the failed entries of the response
		 */
		<S> void completed(List<S> successful, Function<S, String> id, Function<S, R> result,
				List<BatchResultErrorEntry> errors) {
			for (S entry : successful) {
				succeeded(id.apply(entry), result.apply(entry));
			}
			for (BatchResultErrorEntry error : errors) {
				failed(error.id(), entryFailure(error));
			}
		}

		private void failRemaining(Throwable failure) {
			for (CompletableFuture<R> result : this.results) {
				result.completeExceptionally(failure);
			}
		}

	}

	/**
	 * The batch of one queue being filled. One linger timer at a time: when it fires
	 * before the batch it finds is due (that batch started after the one it was set for
	 * was sent), it is set again for the rest of that batch's linger, so that batches
	 * filled before their linger cost no timer each.
	 */
	private final class Buffer {

		private final String queueUrl;

		private Batch<T, R> batch = new Batch<>();

		/** When the first entry of {@link #batch} was added. */
		private long firstAdded;

		private boolean timerSet;

		Buffer(String queueUrl) {
			this.queueUrl = queueUrl;
		}

		void add(T entry, int bytes, CompletableFuture<R> result) {
			Batch<T, R> over = null;
			Batch<T, R> full = null;
			synchronized (this) {
				if (!this.batch.entries.isEmpty() && this.batch.bytes + bytes > MAX_PAYLOAD_BYTES) {
					over = take();
				}
				Batch<T, R> current = this.batch;
				current.entries.add(entry);
				current.results.add(result);
				current.bytes += bytes;
				if (current.entries.size() >= MAX_ENTRIES) {
					full = take();
				}
				else if (current.entries.size() == 1) {
					this.firstAdded = System.nanoTime();
					if (!this.timerSet) {
						this.timerSet = schedule(SqsBatcher.this.linger.toNanos());
						if (!this.timerSet) {
							full = take();
						}
					}
				}
			}
			if (over != null) {
				send(over);
			}
			if (full != null) {
				send(full);
			}
		}

		/**
		 * Set the linger timer.
		 * @param delayNanos when it fires
		 * @return whether it was set; not once the scheduler was shut down, when batches
		 * go out at once
		 */
		private boolean schedule(long delayNanos) {
			try {
				SqsBatcher.this.scheduler.schedule(this::lingered, delayNanos, TimeUnit.NANOSECONDS);
				return true;
			}
			catch (RejectedExecutionException ex) {
				return false;
			}
		}

		private void lingered() {
			Batch<T, R> due;
			synchronized (this) {
				if (this.batch.entries.isEmpty()) {
					this.timerSet = false;
					return;
				}
				long left = SqsBatcher.this.linger.toNanos() - (System.nanoTime() - this.firstAdded);
				if (left > 0 && schedule(left)) {
					return;
				}
				this.timerSet = false;
				due = take();
			}
			send(due);
		}

		void flushNow() {
			Batch<T, R> due;
			synchronized (this) {
				if (this.batch.entries.isEmpty()) {
					return;
				}
				due = take();
			}
			send(due);
		}

		private Batch<T, R> take() {
			Batch<T, R> taken = this.batch;
			this.batch = new Batch<>();
			return taken;
		}

		private void send(Batch<T, R> batch) {
			CompletableFuture<?> sent;
			try {
				sent = SqsBatcher.this.call.send(this.queueUrl, batch);
			}
			catch (RuntimeException ex) {
				batch.failRemaining(ex);
				return;
			}
			sent.whenComplete((response, ex) -> batch
				.failRemaining((ex != null) ? SqsFailures.unwrap(ex) : new IllegalStateException(
						"SQS did not report the entry in a batch request to " + this.queueUrl)));
		}

	}

}
