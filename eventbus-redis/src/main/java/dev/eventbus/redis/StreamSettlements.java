package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The settlements of one consumer that Redis does not know yet, so that settling never
 * makes a handler thread wait.
 * <p>
 * Acknowledgements: at most one XACK is on its way at a time, and the ids acknowledged
 * meanwhile go together in the next one ({@code XACK key group id1 id2 ...}). So a lone
 * acknowledgement is sent at once, and under load one command acknowledges what a round
 * trip accumulated. Every id is passed to the completion callback once, with the error if
 * its XACK failed; such an entry stays pending and is claimed and delivered again.
 * <p>
 * Retries: an entry given back with {@code retry(delay)} stays pending with the consumer
 * and waits here until its delay has passed; then the reader takes it
 * ({@link #takeDueRetries(int)}) and claims it again. Thread safe.
 */
final class StreamSettlements {

	private final Function<List<String>, CompletionStage<?>> xack;

	private final BiConsumer<List<String>, @Nullable Throwable> acknowledged;

	private final DelayQueue<Retry> retries = new DelayQueue<>();

	/** Guards the fields below. */
	private final Object monitor = new Object();

	private List<String> waiting = new ArrayList<>();

	private boolean sending;

	private long unanswered;

	/**
	 * Create the settlements of a consumer.
	 * @param xack sends one XACK of the given ids; its stage completes with Redis' reply
	 * @param acknowledged called once per XACK with its ids and the failure, or
	 * {@code null}
	 */
	StreamSettlements(Function<List<String>, CompletionStage<?>> xack,
			BiConsumer<List<String>, @Nullable Throwable> acknowledged) {
		this.xack = xack;
		this.acknowledged = acknowledged;
	}

	void acknowledge(String entryId) {
		synchronized (this.monitor) {
			this.waiting.add(entryId);
			this.unanswered++;
			if (this.sending) {
				return;
			}
			this.sending = true;
		}
		sendWaiting();
	}

	private void sendWaiting() {
		List<String> ids;
		while (!(ids = takeWaiting()).isEmpty()) {
			List<String> sent = ids;
			CompletableFuture<?> reply = send(sent);
			if (!reply.isDone()) {
				reply.whenComplete((result, failure) -> {
					answered(sent, failure);
					sendWaiting();
				});
				return;
			}
			answered(sent, reply.handle((result, failure) -> failure).join());
		}
	}

	private List<String> takeWaiting() {
		synchronized (this.monitor) {
			List<String> ids = this.waiting;
			this.waiting = new ArrayList<>();
			this.sending = !ids.isEmpty();
			return ids;
		}
	}

	private CompletableFuture<?> send(List<String> ids) {
		try {
			return this.xack.apply(ids).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void answered(List<String> ids, @Nullable Throwable failure) {
		try {
			this.acknowledged.accept(ids, failure);
		}
		finally {
			synchronized (this.monitor) {
				this.unanswered -= ids.size();
				this.monitor.notifyAll();
			}
		}
	}

	/**
	 * Entries acknowledged whose XACK was not answered yet.
	 * @return the count
	 */
	long unanswered() {
		synchronized (this.monitor) {
			return this.unanswered;
		}
	}

	/**
	 * Wait until every acknowledgement so far was answered.
	 * @param timeout the longest wait
	 * @return whether all were answered in time
	 */
	boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			try {
				while (this.unanswered > 0) {
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
		}
	}

	void retryLater(String entryId, int attempt, Duration delay) {
		this.retries.add(new Retry(entryId, attempt, System.nanoTime() + Math.max(0, delay.toNanos())));
	}

	/**
	 * Take the retries whose delay has passed.
	 * @param max most retries taken
	 * @return entry ids with the attempt of their next delivery, first due first
	 */
	Map<String, Integer> takeDueRetries(int max) {
		Map<String, Integer> due = new LinkedHashMap<>();
		Retry retry;
		while (due.size() < max && (retry = this.retries.poll()) != null) {
			due.put(retry.entryId(), retry.attempt());
		}
		return due;
	}

	/**
	 * Time until the next retry is due.
	 * @return the time, negative when one is overdue, a day when none waits
	 */
	Duration untilNextRetry() {
		Retry next = this.retries.peek();
		return (next != null) ? Duration.ofNanos(next.getDelay(TimeUnit.NANOSECONDS)) : Duration.ofDays(1);
	}

	/**
	 * The entries waiting for a retry.
	 * @return their ids
	 */
	List<String> retryIds() {
		return this.retries.stream().map(Retry::entryId).toList();
	}

	int waitingRetries() {
		return this.retries.size();
	}

	/**
	 * Remove every retry, each with the idle time that lets other consumers claim it once
	 * its delay has passed: the claim idle time less the delay left.
	 * @param claimIdleTime the claim idle time
	 * @return entry ids with their idle times
	 */
	Map<String, Duration> takeAllRetries(Duration claimIdleTime) {
		Map<String, Duration> all = new LinkedHashMap<>();
		for (Retry retry : this.retries) {
			if (this.retries.remove(retry)) {
				long left = Math.max(0, retry.getDelay(TimeUnit.MILLISECONDS));
				all.put(retry.entryId(), Duration.ofMillis(Math.max(0, claimIdleTime.toMillis() - left)));
			}
		}
		return all;
	}

	/**
	 * An entry given back with {@code retry(delay)}.
	 *
	 * @param entryId the entry id
	 * @param attempt the attempt of its next delivery
	 * @param dueNanos when it is due, in {@link System#nanoTime()}
	 */
	private record Retry(String entryId, int attempt, long dueNanos) implements Delayed {

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(this.dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
