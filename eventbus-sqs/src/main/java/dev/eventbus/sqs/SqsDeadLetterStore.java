package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.EventBusException;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Dead letters kept in the destination queue of a dead-letter destination
 * ({@code <queue>_dlq}). SQS cannot peek: {@link #browse} receives messages with a short
 * visibility timeout and makes them visible again at once, so a browse briefly hides the
 * messages it reads from other readers, counts as a receive (native redrive is never set
 * on dead-letter queues), and may return fewer messages than the queue holds, or in a
 * different order, as SQS samples its servers. {@link #remove} and {@link #purge} receive
 * and delete by receipt handle; purge deletes message by message, so it can count and is
 * not limited to one {@code PurgeQueue} a minute. A dead-letter queue found missing is
 * recovered as {@link SqsQueues} describes, and then holds nothing. Thread safe.
 */
final class SqsDeadLetterStore implements DeadLetterStore {

	private static final int MAX_BATCH = 10;

	private static final int MAX_EMPTY_RECEIVES = 2;

	private static final int MAX_BROWSED = 1_000;

	private static final Duration BROWSE_VISIBILITY = Duration.ofSeconds(30);

	private final SqsAsyncClient client;

	private final SqsQueues queues;

	private final SqsMessageMapping mapping;

	private final Duration timeout;

	SqsDeadLetterStore(SqsAsyncClient client, SqsQueues queues, SqsMessageMapping mapping, Duration timeout) {
		this.client = client;
		this.queues = queues;
		this.mapping = mapping;
		this.timeout = timeout;
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		String url = url(deadLetterDestination);
		List<Message> received = receiveUpTo(url, Math.min(limit, MAX_BROWSED));
		release(url, received);
		List<StoredMessage> stored = new ArrayList<>(received.size());
		for (Message message : received) {
			byte[] body = this.mapping.body(message);
			stored.add(new StoredMessage(message.messageId(), this.mapping.key(message, body),
					this.mapping.headers(message), body));
		}
		return stored;
	}

	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		String url = url(deadLetterDestination);
		List<Message> received = receiveUpTo(url, MAX_BROWSED);
		List<Message> others = new ArrayList<>(received.size());
		boolean removed = false;
		for (Message message : received) {
			if (message.messageId().equals(messageId)) {
				delete(url, List.of(message));
				removed = true;
			}
			else {
				others.add(message);
			}
		}
		release(url, others);
		return removed;
	}

	@Override
	public int purge(String deadLetterDestination) {
		String url = url(deadLetterDestination);
		int purged = 0;
		int empty = 0;
		while (empty < MAX_EMPTY_RECEIVES) {
			List<Message> batch = receive(url, MAX_BATCH);
			if (batch.isEmpty()) {
				empty++;
				continue;
			}
			delete(url, batch);
			purged += batch.size();
		}
		return purged;
	}

	private String url(String deadLetterDestination) {
		return await(this.queues.destinationQueue(deadLetterDestination), "find the queue of " + deadLetterDestination);
	}

	private List<Message> receiveUpTo(String url, int limit) {
		List<Message> received = new ArrayList<>();
		int empty = 0;
		while (received.size() < limit && empty < MAX_EMPTY_RECEIVES) {
			List<Message> batch = receive(url, Math.min(MAX_BATCH, limit - received.size()));
			if (batch.isEmpty()) {
				empty++;
			}
			received.addAll(batch);
		}
		return received;
	}

	private List<Message> receive(String url, int max) {
		return await(this.queues.onQueue(url,
				(queueUrl) -> this.client.receiveMessage((request) -> request.queueUrl(queueUrl)
					.maxNumberOfMessages(max)
					.waitTimeSeconds(0)
					.visibilityTimeout((int) BROWSE_VISIBILITY.toSeconds())
					.messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)
					.messageAttributeNames("All"))),
				"receive dead letters")
			.messages();
	}

	private void release(String url, List<Message> messages) {
		for (int from = 0; from < messages.size(); from += MAX_BATCH) {
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			for (Message message : messages.subList(from, Math.min(messages.size(), from + MAX_BATCH))) {
				entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
					.id(Integer.toString(entries.size()))
					.receiptHandle(message.receiptHandle())
					.visibilityTimeout(0)
					.build());
			}
			await(this.client.changeMessageVisibilityBatch((request) -> request.queueUrl(url).entries(entries)),
					"release browsed dead letters");
		}
	}

	private void delete(String url, List<Message> messages) {
		List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
		for (Message message : messages) {
			entries.add(DeleteMessageBatchRequestEntry.builder()
				.id(Integer.toString(entries.size()))
				.receiptHandle(message.receiptHandle())
				.build());
		}
		var response = await(this.client.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries)),
				"delete dead letters");
		if (!response.failed().isEmpty()) {
			throw new EventBusException("SQS refused to delete " + response.failed().size() + " dead letters from "
					+ url + ": " + response.failed().get(0).message());
		}
	}

	private <T> T await(java.util.concurrent.CompletableFuture<T> future, String action) {
		try {
			return future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventBusException("Interrupted while trying to " + action, ex);
		}
		catch (Exception ex) {
			throw new EventBusException("Could not " + action + " on SQS: " + SqsFailures.unwrap(ex), ex);
		}
	}

}
