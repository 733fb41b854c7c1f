package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Acknowledges the entries of one consumer without making the acknowledging thread wait: at most
 * one XACK of the subscription is on its way at a time, and the ids acknowledged meanwhile go
 * together in the next one ({@code XACK key group id1 id2 ...}). So a lone acknowledgement is sent
 * at once, and under load one command acknowledges what a round trip accumulated. Every id is
 * passed to the completion callback once, with the error if its XACK failed; such an entry stays
 * pending and is claimed and delivered again. Thread safe.
 */
final class StreamAcknowledger {

	private final Function<List<String>, CompletionStage<?>> xack;

	private final BiConsumer<List<String>, @Nullable Throwable> completed;

	private final Queue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final InFlightCounter unanswered = new InFlightCounter();

	/**
	 * Create an acknowledger.
	 * @param xack sends one XACK of the given ids; its stage completes with Redis' reply
	 * @param completed called once per XACK with its ids and the failure, or {@code null}
	 */
	StreamAcknowledger(Function<List<String>, CompletionStage<?>> xack,
			BiConsumer<List<String>, @Nullable Throwable> completed) {
		this.xack = xack;
		this.completed = completed;
	}

	void acknowledge(String entryId) {
		this.unanswered.begin(1);
		this.queue.add(entryId);
		sendNext();
	}

	private void sendNext() {
		while (!this.queue.isEmpty() && this.sending.compareAndSet(false, true)) {
			List<String> ids = new ArrayList<>();
			String id;
			while ((id = this.queue.poll()) != null) {
				ids.add(id);
			}
			if (ids.isEmpty()) {
				this.sending.set(false);
				continue;
			}
			CompletableFuture<?> reply = send(ids);
			if (reply.isDone()) {
				answered(ids, reply.handle((result, ex) -> ex).join());
				continue;
			}
			reply.whenComplete((result, ex) -> {
				answered(ids, ex);
				sendNext();
			});
			return;
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
			this.completed.accept(ids, failure);
		}
		finally {
			this.unanswered.end(ids.size());
			this.sending.set(false);
		}
	}

	/**
	 * Entries acknowledged whose XACK was not answered yet.
	 * @return the count
	 */
	long unanswered() {
		return this.unanswered.count();
	}

	/**
	 * Wait until every acknowledgement so far was answered.
	 * @param timeout the longest wait
	 * @return whether all were answered in time
	 */
	boolean flush(Duration timeout) {
		return this.unanswered.await(timeout);
	}

}
