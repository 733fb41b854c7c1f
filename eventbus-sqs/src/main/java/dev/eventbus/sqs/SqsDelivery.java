package dev.eventbus.sqs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.spi.Delivery;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One received SQS message handed to a subscription's listener. {@link #ack()} deletes
 * it; {@link #retry(Duration)} changes its visibility to the delay, rounded up to whole
 * seconds, so that it reappears after it. SQS cannot hide a message for less than a
 * second, so a retry after a shorter delay keeps the message in flight and hands it to
 * the same subscription again after the delay, with {@link #attempt()} one higher (as a
 * batch of one, for a batch handler); if this instance dies meanwhile, SQS redelivers it
 * after its visibility timeout. The deliveries of a batch on a FIFO queue are the
 * exception: their retries always go through SQS, at least a second later, since several
 * messages of a group given back from one batch must come again together and in their
 * order, which SQS does. Settled exactly once: by the runtime, as the {@link Delivery}
 * contract says, or, when it is never handed to the listener, by the
 * {@link SqsDispatcher} with {@link #giveBack()} or {@link #release()}. Thread safe.
 */
final class SqsDelivery implements Delivery {

	/** Retries after a shorter delay are redelivered in process. */
	static final Duration LOCAL_RETRY_LIMIT = Duration.ofSeconds(1);

	private final String destination;

	private final Message message;

	private final Map<String, String> headers;

	private final byte[] body;

	private final SqsMessageMapping mapping;

	private final int attempt;

	private final SqsInFlight inFlight;

	private final Redelivery redelivery;

	private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

	/** Read from the body on first use: events carry their key only there. */
	private volatile @Nullable String key;

	private volatile boolean keyRead;

	SqsDelivery(String destination, Message message, SqsMessageMapping mapping, int attempt, SqsInFlight inFlight,
			Redelivery redelivery) {
		this.destination = destination;
		this.message = message;
		this.body = mapping.body(message);
		this.headers = Map.copyOf(mapping.headers(message, this.body));
		this.mapping = mapping;
		this.attempt = attempt;
		this.inFlight = inFlight;
		this.redelivery = redelivery;
	}

	@Override
	public String destination() {
		return this.destination;
	}

	@Override
	public String messageId() {
		return this.message.messageId();
	}

	@Override
	public @Nullable String key() {
		if (!this.keyRead) {
			this.key = this.mapping.key(this.message, this.body);
			this.keyRead = true;
		}
		return this.key;
	}

	@Override
	public Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public byte[] body() {
		return this.body;
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public void ack() {
		this.inFlight.delete(this.message);
		this.outcome.complete(true);
	}

	@Override
	public void retry(Duration delay) {
		if (delay.compareTo(LOCAL_RETRY_LIMIT) < 0 && this.redelivery.redeliver(this, delay)) {
			return;
		}
		this.inFlight.changeVisibility(this.message, delay);
		this.outcome.complete(false);
	}

	/**
	 * Make the message visible again at once, without counting a handler attempt: for
	 * deliveries of a subscription that closed before they ran.
	 */
	void giveBack() {
		this.inFlight.changeVisibility(this.message, Duration.ZERO);
		this.outcome.complete(false);
	}

	/**
	 * Make the message visible again at once, never handed to the listener: for the rest
	 * of a FIFO group after a message given back, and deliveries that had not started at
	 * close.
	 */
	void release() {
		this.inFlight.release(this.message);
		this.outcome.complete(false);
	}

	Message message() {
		return this.message;
	}

	/**
	 * Completes once settled: {@code true} when acknowledged, {@code false} when given
	 * back.
	 * @return the outcome
	 */
	CompletableFuture<Boolean> outcome() {
		return this.outcome;
	}

	/**
	 * Settle this delivery as its redelivery ends: acknowledged or given back to SQS.
	 * @param redelivered the redelivery's outcome
	 */
	void follow(CompletableFuture<Boolean> redelivered) {
		redelivered.whenComplete((acknowledged, ex) -> this.outcome.complete(ex == null && acknowledged));
	}

	/**
	 * Hands a message given back with a short delay to its subscription again.
	 */
	@FunctionalInterface
	interface Redelivery {

		/**
		 * Deliver the message of a settled delivery again after a delay.
		 * @param previous the delivery given back
		 * @param delay the delay
		 * @return whether it will be redelivered; {@code false} when the subscription is
		 * closing
		 */
		boolean redeliver(SqsDelivery previous, Duration delay);

	}

	@Override
	public String toString() {
		return "SqsDelivery[destination=" + this.destination + ", messageId=" + this.message.messageId() + ", attempt="
				+ this.attempt + "]";
	}

}
