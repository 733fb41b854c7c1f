package dev.eventbus.sqs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.sqs.SqsMessageMapping.Outgoing;

/**
 * Sends messages in batches ({@link SqsBatchedRequests#send}), each completed with its
 * own entry's result, failing it on a per-entry error. A message goes to every group
 * queue of its destination; its future completes once every copy was accepted, and fails,
 * naming the message and the cause, once one copy was refused. A copy refused because its
 * queue does not exist is sent once more after the queue was recovered
 * ({@link SqsQueues#onQueue}).
 * <p>
 * On FIFO queues a message is handed to the batcher only once the previous message of its
 * group (to the same queue) was accepted or refused: two batches in flight at once may
 * reach SQS in either order, so concurrent sends of one group would otherwise be stored
 * out of order. Messages of different groups still share batches. Thread safe.
 */
final class SqsPublisher {

	private final SqsQueues queues;

	private final SqsBatchedRequests requests;

	private final SqsMessageMapping mapping;

	/** Sends accepted and not completed yet. */
	private final AtomicLong pending = new AtomicLong();

	private final Object drained = new Object();

	/**
	 * FIFO only: the send of each group and queue that the group's next send waits for.
	 */
	private final Map<GroupOfQueue, CompletableFuture<String>> lastOfGroup = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Create a publisher.
	 * @param queues finds and recovers the queues of a destination
	 * @param requests sends in batches, completing each send with its message id
	 * @param mapping maps messages to what is sent
	 */
	SqsPublisher(SqsQueues queues, SqsBatchedRequests requests, SqsMessageMapping mapping) {
		this.queues = queues;
		this.requests = requests;
		this.mapping = mapping;
	}

	CompletableFuture<SendResult> send(OutboundMessage message) {
		this.pending.incrementAndGet();
		if (this.closed) {
			completed();
			return CompletableFuture.failedFuture(new PublishException("SQS adapter is closed"));
		}
		CompletableFuture<SendResult> result = new CompletableFuture<>();
		try {
			List<String> urls = this.queues.resolvedTargets(message.destination());
			if (urls != null) {
				sendToAll(urls, message, result);
			}
			else {
				this.queues.targets(message.destination()).whenComplete((found, ex) -> {
					if (ex != null) {
						fail(result, message, ex);
					}
					else {
						sendToAll(found, message, result);
					}
				});
			}
		}
		catch (RuntimeException ex) {
			fail(result, message, ex);
		}
		return result;
	}

	private void sendToAll(List<String> urls, OutboundMessage message, CompletableFuture<SendResult> result) {
		try {
			Outgoing outgoing = this.mapping.outgoing(message);
			if (urls.size() == 1) {
				sendInOrder(urls.get(0), outgoing)
					.whenComplete((messageId, ex) -> settle(result, message, messageId, ex));
				return;
			}
			CompletableFuture<?>[] sends = new CompletableFuture<?>[urls.size()];
			for (int i = 0; i < sends.length; i++) {
				sends[i] = sendInOrder(urls.get(i), outgoing);
			}
			CompletableFuture.allOf(sends)
				.whenComplete(
						(done, ex) -> settle(result, message, (ex != null) ? null : (String) sends[0].join(), ex));
		}
		catch (RuntimeException ex) {
			fail(result, message, ex);
		}
	}

	/**
	 * Hand a send to the batcher; on a FIFO queue only after the group's previous send
	 * there completed.
	 * @param queueUrl the queue
	 * @param outgoing what is sent
	 * @return completes with the message id
	 */
	private CompletableFuture<String> sendInOrder(String queueUrl, Outgoing outgoing) {
		if (outgoing.groupId() == null) {
			return sendRecovering(queueUrl, outgoing);
		}
		GroupOfQueue group = new GroupOfQueue(queueUrl, outgoing.groupId());
		CompletableFuture<String> sent = new CompletableFuture<>();
		CompletableFuture<String> previous = this.lastOfGroup.put(group, sent);
		if (previous == null) {
			submit(group, outgoing, sent);
		}
		else {
			previous.whenComplete((messageId, ex) -> submit(group, outgoing, sent));
		}
		return sent;
	}

	private void submit(GroupOfQueue group, Outgoing outgoing, CompletableFuture<String> sent) {
		sendRecovering(group.queueUrl(), outgoing).whenComplete((messageId, ex) -> {
			this.lastOfGroup.remove(group, sent);
			if (ex != null) {
				sent.completeExceptionally(ex);
			}
			else {
				sent.complete(messageId);
			}
		});
	}

	private CompletableFuture<String> sendRecovering(String queueUrl, Outgoing outgoing) {
		return this.queues.onQueue(queueUrl, (url) -> this.requests.send(url, outgoing));
	}

	private void settle(CompletableFuture<SendResult> result, OutboundMessage message, String messageId,
			Throwable failure) {
		if (failure != null) {
			fail(result, message, failure);
			return;
		}
		completed();
		result.complete(new SendResult(messageId));
	}

	private void fail(CompletableFuture<SendResult> result, OutboundMessage message, Throwable failure) {
		completed();
		Throwable cause = SqsFailures.unwrap(failure);
		result.completeExceptionally(new PublishException("SQS did not accept " + message + ": " + cause, cause));
	}

	private void completed() {
		if (this.pending.decrementAndGet() == 0 && this.closed) {
			synchronized (this.drained) {
				this.drained.notifyAll();
			}
		}
	}

	/** A message group of one FIFO queue. */
	private record GroupOfQueue(String queueUrl, String group) {
	}

	/**
	 * Refuse new sends and wait for the accepted ones to complete.
	 * @param timeout the longest wait
	 */
	void flush(Duration timeout) {
		this.closed = true;
		this.requests.flush();
		MonitorWait.until(this.drained, () -> this.pending.get() == 0, System.nanoTime() + timeout.toNanos());
	}

}
