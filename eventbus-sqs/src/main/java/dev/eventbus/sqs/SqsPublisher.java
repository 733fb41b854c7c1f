package dev.eventbus.sqs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.MonitorWait;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Sends messages through the SDK's {@link SqsAsyncBatchManager}, which groups sends to one queue
 * into {@code SendMessageBatch} requests of up to 10 entries after a short linger and completes
 * each entry's future with that entry's own result, failing it on a per-entry error. A message
 * goes to every group queue of its destination; its future completes once every copy was accepted.
 * <p>
 * On FIFO queues a message is handed to the batch manager only once the previous message of its
 * group (to the same queue) was accepted or refused: two batches in flight at once may reach SQS
 * in either order, so concurrent sends of one group would otherwise be stored out of order.
 * Messages of different groups still share batches. Thread safe.
 */
final class SqsPublisher {

	private final SqsQueues queues;

	private final SqsAsyncBatchManager batches;

	private final SqsMessageMapping mapping;

	/** Sends accepted and not completed yet. */
	private final AtomicLong pending = new AtomicLong();

	private final Object drained = new Object();

	/** FIFO only: the send of each group and queue that the group's next send waits for. */
	private final Map<GroupOfQueue, CompletableFuture<SendMessageResponse>> lastOfGroup = new ConcurrentHashMap<>();

	private volatile boolean closed;

	SqsPublisher(SqsQueues queues, SqsAsyncBatchManager batches, SqsMessageMapping mapping) {
		this.queues = queues;
		this.batches = batches;
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
			if (urls.size() == 1) {
				sendInOrder(this.mapping.sendRequest(urls.get(0), message))
					.whenComplete((response, ex) -> settle(result, message, response, ex));
				return;
			}
			SendMessageRequest first = this.mapping.sendRequest(urls.get(0), message);
			CompletableFuture<?>[] sends = new CompletableFuture<?>[urls.size()];
			sends[0] = sendInOrder(first);
			for (int i = 1; i < sends.length; i++) {
				sends[i] = sendInOrder(first.toBuilder().queueUrl(urls.get(i)).build());
			}
			CompletableFuture.allOf(sends)
				.whenComplete((done, ex) -> settle(result, message,
						(ex != null) ? null : (SendMessageResponse) sends[0].join(), ex));
		}
		catch (RuntimeException ex) {
			fail(result, message, ex);
		}
	}

	/**
	 * Hand a send to the batch manager; on a FIFO queue only after the group's previous send there
	 * completed.
	 */
	private CompletableFuture<SendMessageResponse> sendInOrder(SendMessageRequest request) {
		if (request.messageGroupId() == null) {
			return this.batches.sendMessage(request);
		}
		GroupOfQueue group = new GroupOfQueue(request.queueUrl(), request.messageGroupId());
		CompletableFuture<SendMessageResponse> sent = new CompletableFuture<>();
		CompletableFuture<SendMessageResponse> previous = this.lastOfGroup.put(group, sent);
		if (previous == null) {
			submit(group, request, sent);
		}
		else {
			previous.whenComplete((response, ex) -> submit(group, request, sent));
		}
		return sent;
	}

	private void submit(GroupOfQueue group, SendMessageRequest request, CompletableFuture<SendMessageResponse> sent) {
		CompletableFuture<SendMessageResponse> batched;
		try {
			batched = this.batches.sendMessage(request);
		}
		catch (RuntimeException ex) {
			batched = CompletableFuture.failedFuture(ex);
		}
		batched.whenComplete((response, ex) -> {
			this.lastOfGroup.remove(group, sent);
			if (ex != null) {
				sent.completeExceptionally(ex);
			}
			else {
				sent.complete(response);
			}
		});
	}

	private void settle(CompletableFuture<SendResult> result, OutboundMessage message, SendMessageResponse response,
			Throwable failure) {
		if (failure != null) {
			fail(result, message, failure);
			return;
		}
		completed();
		result.complete(new SendResult(response.messageId()));
	}

	private void fail(CompletableFuture<SendResult> result, OutboundMessage message, Throwable failure) {
		completed();
		Throwable cause = SqsQueues.unwrap(failure);
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
		MonitorWait.until(this.drained, () -> this.pending.get() == 0, System.nanoTime() + timeout.toNanos());
	}

}
