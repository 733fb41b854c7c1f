package dev.eventbus.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.eventbus.codec.JsonEventCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Moves what arrives on a destination's ingress queue into its group queues, so that
 * every consumer group receives what any producer sends to the one queue. One thread
 * long-polls the ingress queue for up to 10 messages, copies them to every group queue of
 * the destination ({@link SqsQueues#groupQueueUrls(String)}) with one
 * {@code SendMessageBatch} per group queue (more when their bodies exceed 256 KiB), body
 * and attributes unchanged, and deletes each message from the ingress queue only once
 * every copy of it was accepted. A message with a refused copy is made visible again
 * after a second and copied again to every group queue; if the instance dies between
 * copying and deleting, the message reappears after the visibility timeout and is copied
 * again. So each group gets each message at least once; FIFO group queues drop the second
 * copy, since a copy's deduplication id is the ingress message id.
 * <p>
 * Copies keep the time SQS stored the ingress message as the attribute
 * {@link JsonEventCodec#BROKER_TIME} (unless the message has it, does not look like plain
 * JSON, or already has the 10 attributes SQS allows). On FIFO queues a copy keeps the
 * MessageGroupId, and the copies of one receive go out in the order SQS returned them,
 * one request after the other; SQS hands out no further message of a group while one is
 * in flight, so several movers keep each group's order. Several instances' movers compete
 * for the ingress queue like consumers of a group.
 * <p>
 * Created and started by the adapter on the first subscription to a destination; not for
 * dead-letter destinations, whose queue the dead-letter store reads. Thread safe; its own
 * thread does all the moving.
 */
final class SqsIngressMover {

	private static final Log logger = LogFactory.getLog(SqsIngressMover.class);

	private static final int MAX_MESSAGES = 10;

	private static final int MAX_ATTRIBUTES = 10;

	private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

	private static final String SENT_TIMESTAMP = MessageSystemAttributeName.SENT_TIMESTAMP.toString();

	private final String destination;

	private final SqsAsyncClient client;

	private final SqsQueues queues;

	private final SqsBatchedRequests requests;

	private final SqsAdapterSettings settings;

	private final Consumer<List<Message>> copied;

	private final List<MessageSystemAttributeName> systemAttributes;

	private final CountDownLatch closing = new CountDownLatch(1);

	private final CountDownLatch stopped = new CountDownLatch(1);

	private volatile @Nullable CompletableFuture<ReceiveMessageResponse> receiving;

	/** The problem last logged; used by the mover's thread only. */
	private @Nullable String lastProblem;

	/**
	 * Create a mover.
	 * @param destination the destination whose ingress queue it reads
	 * @param client the SQS client
	 * @param queues finds the ingress and the group queues
	 * @param requests deletes and visibility changes, batched
	 * @param settings wait time, visibility timeout and request timeout
	 * @param copied told, on the mover's thread, which messages had all their copies
	 * accepted, before they are deleted
	 */
	SqsIngressMover(String destination, SqsAsyncClient client, SqsQueues queues, SqsBatchedRequests requests,
			SqsAdapterSettings settings, Consumer<List<Message>> copied) {
		this.destination = destination;
		this.client = client;
		this.queues = queues;
		this.requests = requests;
		this.settings = settings;
		this.copied = copied;
		this.systemAttributes = settings.fifo()
				? List.of(MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.MESSAGE_GROUP_ID)
				: List.of(MessageSystemAttributeName.SENT_TIMESTAMP);
	}

	SqsIngressMover start() {
		Thread mover = new Thread(this::run, "eventbus-sqs-ingress-" + this.destination);
		mover.setDaemon(true);
		mover.start();
		return this;
	}

	private void run() {
		try {
			String ingress = null;
			while (!closed()) {
				if (ingress == null) {
					ingress = await(this.queues.destinationQueue(this.destination), "find the ingress queue");
					continue;
				}
				List<Message> messages = receive(ingress);
				if (messages == null) {
					ingress = null;
				}
				else if (!messages.isEmpty()) {
					move(ingress, messages);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.stopped.countDown();
		}
	}

	/**
	 * Receive from the ingress queue.
	 * @return the messages, or {@code null} when the receive failed
	 */
	private @Nullable List<Message> receive(String ingress) throws InterruptedException {
		CompletableFuture<ReceiveMessageResponse> response;
		try {
			response = this.client.receiveMessage((request) -> request.queueUrl(ingress)
				.maxNumberOfMessages(MAX_MESSAGES)
				.waitTimeSeconds((int) this.settings.waitTime().toSeconds())
				.visibilityTimeout((int) this.settings.visibilityTimeout().toSeconds())
				.messageSystemAttributeNames(this.systemAttributes)
				.messageAttributeNames("All")
				.overrideConfiguration(
						(call) -> call.apiCallTimeout(this.settings.waitTime().plus(this.settings.requestTimeout()))));
		}
		catch (RuntimeException ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		this.receiving = response;
		try {
			List<Message> messages = response.get().messages();
			this.lastProblem = null;
			return messages;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException interrupted) {
				throw interrupted;
			}
			if (!closed()) {
				Throwable cause = SqsFailures.unwrap((ex.getCause() != null) ? ex.getCause() : ex);
				if (SqsFailures.isMissing(cause)) {
					this.queues.recover(ingress);
				}
				problem("receive from the ingress queue", cause);
			}
			return null;
		}
		finally {
			this.receiving = null;
		}
	}

	/**
	 * Copy messages to every group queue, then delete those whose copies were all
	 * accepted and give the others back.
	 */
	private void move(String ingress, List<Message> messages) throws InterruptedException {
		List<String> groupQueues = await(this.queues.groupQueueUrls(this.destination), "list the group queues");
		boolean[] refused = new boolean[messages.size()];
		if (groupQueues == null || groupQueues.isEmpty()) {
			Arrays.fill(refused, true);
		}
		else {
			List<SendMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
			for (int i = 0; i < messages.size(); i++) {
				entries.add(copy(messages.get(i), Integer.toString(i)));
			}
			List<CompletableFuture<Void>> copies = new ArrayList<>(groupQueues.size());
			for (String groupQueue : groupQueues) {
				copies.add(sendAll(groupQueue, entries, 0, refused));
			}
			CompletableFuture<Boolean> copying = CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
				.thenApply((done) -> true);
			if (await(copying, "copy to the group queues") == null) {
				Arrays.fill(refused, true);
			}
		}
		List<Message> accepted = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			if (refused[i]) {
				this.requests.changeVisibility(ingress, messages.get(i).receiptHandle(), (int) RETRY_DELAY.toSeconds());
			}
			else {
				accepted.add(messages.get(i));
			}
		}
		if (!accepted.isEmpty()) {
			this.copied.accept(accepted);
			accepted.forEach((message) -> this.requests.delete(ingress, message.receiptHandle()));
		}
	}

	/**
	 * Send entries to a group queue in requests of at most 10 entries and 256 KiB, one
	 * after the other, marking the refused ones.
	 */
	private CompletableFuture<Void> sendAll(String queueUrl, List<SendMessageBatchRequestEntry> entries, int from,
			boolean[] refused) {
		if (from >= entries.size()) {
			return CompletableFuture.completedFuture(null);
		}
		int to = from;
		int bytes = 0;
		while (to < entries.size() && to - from < SqsBatcher.MAX_ENTRIES) {
			int size = bytes(entries.get(to));
			if (to > from && bytes + size > SqsBatcher.MAX_PAYLOAD_BYTES) {
				break;
			}
			bytes += size;
			to++;
		}
		int end = to;
		List<SendMessageBatchRequestEntry> request = entries.subList(from, end);
		return this.client.sendMessageBatch((batch) -> batch.queueUrl(queueUrl).entries(request))
			.handle((response, ex) -> {
				if (ex != null) {
					Throwable cause = SqsFailures.unwrap(ex);
					refuse(queueUrl, request, refused, cause);
					return null;
				}
				for (BatchResultErrorEntry error : response.failed()) {
					refused[Integer.parseInt(error.id())] = true;
					logger.warn("SQS refused the copy of ingress message " + error.id() + " to " + queueUrl + ": "
							+ error.code() + " " + error.message() + "; it is copied again");
				}
				return null;
			})
			.thenCompose((done) -> sendAll(queueUrl, entries, end, refused));
	}

	private void refuse(String queueUrl, List<SendMessageBatchRequestEntry> request, boolean[] refused,
			Throwable cause) {
		request.forEach((entry) -> refused[Integer.parseInt(entry.id())] = true);
		if (SqsFailures.isMissing(cause)) {
			this.queues.recover(queueUrl);
		}
		logger.warn("Copying " + request.size() + " ingress messages of '" + this.destination + "' to " + queueUrl
				+ " failed; they are copied again: " + cause);
	}

	/**
	 * The copy of an ingress message: its body and attributes, the time SQS stored it,
	 * and on FIFO queues its group and a deduplication id from its message id.
	 */
	private SendMessageBatchRequestEntry copy(Message message, String id) {
		Map<String, MessageAttributeValue> attributes = message.messageAttributes();
		String sent = message.attributesAsStrings().get(SENT_TIMESTAMP);
		if (sent != null && !attributes.containsKey(JsonEventCodec.BROKER_TIME) && attributes.size() < MAX_ATTRIBUTES
				&& SqsMessageMapping.mayBePlainJson(message.body().getBytes(StandardCharsets.UTF_8))) {
			attributes = new LinkedHashMap<>(attributes);
			attributes.put(JsonEventCodec.BROKER_TIME,
					MessageAttributeValue.builder().dataType("String").stringValue(sent).build());
		}
		SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
			.id(id)
			.messageBody(message.body());
		if (!attributes.isEmpty()) {
			entry.messageAttributes(attributes);
		}
		if (this.settings.fifo()) {
			String groupId = SqsMessageMapping.groupId(message);
			entry.messageGroupId((groupId != null) ? groupId : message.messageId())
				.messageDeduplicationId(message.messageId());
		}
		return entry.build();
	}

	private static int bytes(SendMessageBatchRequestEntry entry) {
		return new SqsMessageMapping.Outgoing(entry.messageBody(), entry.messageAttributes(), null, null).bytes();
	}

	/**
	 * Wait for a call, at most the request timeout, or the wait time for a receive.
	 * @return its result, or {@code null} after a problem was logged and waited out
	 */
	private <T> @Nullable T await(CompletableFuture<T> call, String action) throws InterruptedException {
		try {
			return call.get(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			problem(action, SqsFailures.unwrap((ex.getCause() != null) ? ex.getCause() : ex));
			return null;
		}
	}

	/**
	 * Log a problem when it is new or of another kind than the last, and wait before the
	 * next try.
	 */
	private void problem(String action, Throwable cause) throws InterruptedException {
		String kind = action + ": " + cause.getClass().getName();
		if (!kind.equals(this.lastProblem)) {
			logger.warn("Ingress mover of '" + this.destination + "' could not " + action + "; retrying: " + cause);
			this.lastProblem = kind;
		}
		this.closing.await(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
	}

	private boolean closed() {
		return this.closing.getCount() == 0;
	}

	/**
	 * Stop moving: a receive still open is abandoned (what it returns reappears after the
	 * visibility timeout); a move in progress ends with its deletes handed to the
	 * batcher.
	 * @param timeout the longest wait for a move in progress
	 */
	void close(Duration timeout) {
		this.closing.countDown();
		CompletableFuture<ReceiveMessageResponse> receive = this.receiving;
		if (receive != null) {
			receive.cancel(true);
		}
		try {
			this.stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
