package dev.eventbus.sqs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import dev.eventbus.sqs.SqsMessageMapping.Outgoing;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Every send, delete and visibility change of an adapter, batched: each kind of request
 * is grouped per queue by one {@link SqsBatcher} into {@code SendMessageBatch},
 * {@code DeleteMessageBatch} and {@code ChangeMessageVisibilityBatch} requests of up to
 * 10 entries, which wait at most one {@link SqsAdapterSettings#sendLinger() send linger}
 * for a batch to fill. Each call's future completes with its own entry's result: an entry
 * the response reports as failed fails with an {@link SqsException} carrying its error
 * code, and a request that fails as a whole fails each of its entries with the request's
 * exception. Thread safe.
 * <p>
 * The SDK's {@code SqsAsyncBatchManager} would do the same, but it counts every send as
 * its body plus 16 KiB against the 256 KiB of a batch request, so that sends of 10 KiB
 * and more no longer go 10 to a request; the batcher counts the bytes of bodies and
 * attributes.
 */
final class SqsBatchedRequests {

	private final SqsBatcher<Outgoing, String> sends;

	private final SqsBatcher<String, Void> deletes;

	private final SqsBatcher<VisibilityChange, Void> visibilityChanges;

	/**
	 * Create the batchers of an adapter.
	 * @param client the SQS client
	 * @param linger how long a request waits for others to fill its batch
	 * @param scheduler sends the batches whose linger ended
	 */
	SqsBatchedRequests(SqsAsyncClient client, Duration linger, ScheduledExecutorService scheduler) {
		this.sends = new SqsBatcher<>(linger, scheduler, Outgoing::bytes,
				(queueUrl, batch) -> client
					.sendMessageBatch(SendMessageBatchRequest.builder()
						.queueUrl(queueUrl)
						.entries(batch.requestEntries((id, outgoing) -> outgoing.entry(id)))
						.build())
					.thenAccept((response) -> batch.completed(response.successful(), SendMessageBatchResultEntry::id,
							SendMessageBatchResultEntry::messageId, response.failed())));
		this.deletes = new SqsBatcher<>(linger, scheduler, (receiptHandle) -> 0,
				(queueUrl, batch) -> client
					.deleteMessageBatch(DeleteMessageBatchRequest.builder()
						.queueUrl(queueUrl)
						.entries(batch.requestEntries((id, receiptHandle) -> DeleteMessageBatchRequestEntry.builder()
							.id(id)
							.receiptHandle(receiptHandle)
							.build()))
						.build())
					.thenAccept((response) -> batch.completed(response.successful(), DeleteMessageBatchResultEntry::id,
							(deleted) -> null, response.failed())));
		this.visibilityChanges = new SqsBatcher<>(linger, scheduler, (change) -> 0,
				(queueUrl, batch) -> client
					.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest.builder()
						.queueUrl(queueUrl)
						.entries(batch.requestEntries((id, change) -> ChangeMessageVisibilityBatchRequestEntry.builder()
							.id(id)
							.receiptHandle(change.receiptHandle())
							.visibilityTimeout(change.seconds())
							.build()))
						.build())
					.thenAccept((response) -> batch.completed(response.successful(),
							ChangeMessageVisibilityBatchResultEntry::id, (changed) -> null, response.failed())));
	}

	/**
	 * Send a message.
	 * @param queueUrl the queue
	 * @param outgoing the message as sent
	 * @return completes with the message id SQS assigned
	 */
	CompletableFuture<String> send(String queueUrl, Outgoing outgoing) {
		return this.sends.add(queueUrl, outgoing);
	}

	/**
	 * Delete a received message.
	 * @param queueUrl the queue it was received from
	 * @param receiptHandle its receipt handle
	 * @return completes once deleted
	 */
	CompletableFuture<Void> delete(String queueUrl, String receiptHandle) {
		return this.deletes.add(queueUrl, receiptHandle);
	}

	/**
	 * Change the visibility timeout of a received message.
	 * @param queueUrl the queue it was received from
	 * @param receiptHandle its receipt handle
	 * @param seconds how long it stays invisible from now
	 * @return completes once changed
	 */
	CompletableFuture<Void> changeVisibility(String queueUrl, String receiptHandle, int seconds) {
		return this.visibilityChanges.add(queueUrl, new VisibilityChange(receiptHandle, seconds));
	}

	/**
	 * Send every batch still lingering now, for a close.
	 */
	void flush() {
		this.sends.flush();
		this.deletes.flush();
		this.visibilityChanges.flush();
	}

	private record VisibilityChange(String receiptHandle, int seconds) {
	}

}
