package dev.eventbus.sqs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The long polls of one subscription: each asks for the messages its permits allow, with
 * the system attributes the bus reads, and may be cancelled while open when the adapter
 * closes its client. A poll that takes longer than the long-poll wait plus
 * {@link SqsAdapterSettings#requestTimeout()} fails. Used by the subscription's polling
 * thread; {@link #abort()} from any thread.
 */
final class SqsPolls {

	private final SqsAsyncClient client;

	private final SqsAdapterSettings settings;

	private final Duration receiveTimeout;

	/**
	 * The receive count for attempts, the time SQS stored the message, and on FIFO queues
	 * the message group.
	 */
	private final List<MessageSystemAttributeName> systemAttributes;

	private volatile @Nullable CompletableFuture<ReceiveMessageResponse> receiving;

	SqsPolls(SqsAsyncClient client, SqsAdapterSettings settings) {
		this.client = client;
		this.settings = settings;
		this.receiveTimeout = settings.waitTime().plus(settings.requestTimeout());
		this.systemAttributes = settings.fifo()
				? List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
						MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.MESSAGE_GROUP_ID)
				: List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
						MessageSystemAttributeName.SENT_TIMESTAMP);
	}

	/**
	 * Start a long poll for messages.
	 * @param current where the subscription's messages are held
	 * @param permits the permits taken for it: the most messages it asks for
	 * @param wait how long it waits for a first message, rounded up to whole seconds and
	 * at most {@link SqsAdapterSettings#waitTime()}
	 * @return the receive
	 */
	Receive start(SqsInFlight current, int permits, Duration wait) {
		long maxSeconds = this.settings.waitTime().toSeconds();
		int waitSeconds = (int) Math.min(maxSeconds, Math.max(0, wait.plusNanos(999_999_999).toSeconds()));
		CompletableFuture<ReceiveMessageResponse> response;
		try {
			response = this.client.receiveMessage((request) -> request.queueUrl(current.queueUrl())
				.maxNumberOfMessages(permits)
				.waitTimeSeconds(waitSeconds)
				.visibilityTimeout((int) this.settings.visibilityTimeout().toSeconds())
				.messageSystemAttributeNames(this.systemAttributes)
				.messageAttributeNames("All")
				.overrideConfiguration((call) -> call.apiCallTimeout(this.receiveTimeout)));
		}
		catch (RuntimeException ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		this.receiving = response;
		return new Receive(response, permits);
	}

	/**
	 * Forget a receive that returned.
	 */
	void ended() {
		this.receiving = null;
	}

	/**
	 * Cancel a long poll in progress.
	 */
	void abort() {
		CompletableFuture<ReceiveMessageResponse> receive = this.receiving;
		if (receive != null) {
			receive.cancel(true);
		}
	}

	/**
	 * The time left until a batch is due.
	 * @param due when it is due, in {@link System#nanoTime()}
	 * @return the time left, zero when due
	 */
	static Duration untilDue(long due) {
		return Duration.ofNanos(Math.max(0, due - System.nanoTime()));
	}

	/**
	 * Wait until a receive returns or a batch is due.
	 * @param response the receive's response
	 * @param due when the batch is due, in {@link System#nanoTime()}
	 * @return whether the receive returned
	 * @throws InterruptedException if interrupted while waiting
	 */
	static boolean awaitDone(CompletableFuture<ReceiveMessageResponse> response, long due) throws InterruptedException {
		try {
			response.get(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | CancellationException | TimeoutException ex) {
			// failed, which the subscription reports when it reads it, or still open
		}
		return response.isDone();
	}

	/**
	 * A receive on its way.
	 *
	 * @param response its response
	 * @param permits the permits taken for it
	 */
	record Receive(CompletableFuture<ReceiveMessageResponse> response, int permits) {
	}

}
