package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Sends messages through the SDK's {@link SqsAsyncBatchManager}, which groups sends to one queue
 * into {@code SendMessageBatch} requests of up to 10 entries after a short linger and completes
 * each entry's future with that entry's own result, failing it on a per-entry error. A message
 * goes to every group queue of its destination; its future completes once every copy was accepted.
 * Thread safe.
 */
final class SqsPublisher {

	private final SqsQueues queues;

	private final SqsAsyncBatchManager batches;

	private final SqsMessageMapping mapping;

	private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	SqsPublisher(SqsQueues queues, SqsAsyncBatchManager batches, SqsMessageMapping mapping) {
		this.queues = queues;
		this.batches = batches;
		this.mapping = mapping;
	}

	CompletableFuture<SendResult> send(OutboundMessage message) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new PublishException("SQS adapter is closed"));
		}
		CompletableFuture<SendResult> result;
		try {
			result = this.queues.targets(message.destination()).thenCompose((urls) -> sendToAll(urls, message));
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<SendResult> translated = result.exceptionallyCompose((ex) -> CompletableFuture
			.failedFuture(new PublishException("SQS did not accept " + message + ": " + SqsQueues.unwrap(ex),
					SqsQueues.unwrap(ex))));
		this.pending.add(translated);
		translated.whenComplete((sent, ex) -> this.pending.remove(translated));
		return translated;
	}

	private CompletableFuture<SendResult> sendToAll(List<String> urls, OutboundMessage message) {
		List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>(urls.size());
		for (String url : urls) {
			sends.add(this.batches.sendMessage(this.mapping.sendRequest(url, message)));
		}
		return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
			.thenApply((done) -> new SendResult(sends.get(0).join().messageId()));
	}

	/**
	 * Refuse new sends and wait for the accepted ones to complete.
	 * @param timeout the longest wait
	 */
	void flush(Duration timeout) {
		this.closed = true;
		CompletableFuture<?>[] inFlight = this.pending.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(inFlight).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// individual failures were reported to their callers
		}
	}

}
