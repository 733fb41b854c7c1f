package dev.eventbus.sqs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The received, unsettled messages of one subscription: bounds them with permits (the
 * adapter's {@link SqsAdapterSettings#maxInFlightMessages()}, or the capacity of a batch
 * handler's subscription, so that a whole batch fits), keeps them invisible while they
 * wait or run ({@link #extendVisibility()}), and settles them with batched deletes and
 * visibility changes ({@link SqsBatchedRequests}), whose per-entry failures fail the
 * entry's own future (logged: the message then comes back and is handled again, at least
 * once). A message whose delete is pending gives its permit back at once but stays
 * invisible until the delete completes, so that a slow delete does not let it come back.
 * <p>
 * A settlement that fails because the queue does not exist is not retried: a receipt
 * handle is valid only in the queue it came from, and the message was lost with it. The
 * receive loop recovers the queue and {@link #moveTo(String) moves} the subscription
 * there. Thread safe.
 */
final class SqsInFlight {

	private static final Log logger = LogFactory.getLog(SqsInFlight.class);

	private static final long MAX_VISIBILITY_SECONDS = TimeUnit.HOURS.toSeconds(12);

	private static final int MAX_REMEMBERED_RELEASES = 10_000;

	private volatile String queueUrl;

	private final SqsBatchedRequests requests;

	private final Duration visibilityTimeout;

	private final Semaphore permits;

	/** Held messages by receipt handle: a message received twice is held twice. */
	private final Map<String, Held> held = new ConcurrentHashMap<>();

	/**
	 * Messages whose delete was requested and has not completed, by receipt handle: no
	 * longer held and without a permit, but still kept invisible.
	 */
	private final Map<String, Message> deleting = new ConcurrentHashMap<>();

	private final Map<String, Integer> releases = new ConcurrentHashMap<>();

	/** Deletes and visibility changes requested and not completed yet. */
	private final AtomicInteger settling = new AtomicInteger();

	private final Object drained = new Object();

	/**
	 * Whether a thread waits on {@link #drained}, so that settling threads know to wake
	 * it.
	 */
	private volatile boolean awaited;

	/**
	 * Create the in-flight messages of a subscription.
	 * @param queueUrl the subscription's queue
	 * @param requests deletes and changes visibilities in batches
	 * @param visibilityTimeout the visibility timeout extensions set
	 * @param maxInFlight how many messages may be held at most
	 */
	SqsInFlight(String queueUrl, SqsBatchedRequests requests, Duration visibilityTimeout, int maxInFlight) {
		this.queueUrl = queueUrl;
		this.requests = requests;
		this.visibilityTimeout = visibilityTimeout;
		this.permits = new Semaphore(maxInFlight);
	}

	String queueUrl() {
		return this.queueUrl;
	}

	/**
	 * Receive and settle on another queue from now on: the subscription's queue,
	 * recovered after it was lost.
	 * @param recoveredUrl the queue's URL
	 */
	void moveTo(String recoveredUrl) {
		this.queueUrl = recoveredUrl;
	}

	/**
	 * Wait for room for at least one message, then take as much as is free, up to a
	 * maximum.
	 * @param max the most to take
	 * @param timeout the longest wait for the first
	 * @return how many were taken, 0 after the timeout
	 * @throws InterruptedException if interrupted while waiting
	 */
	int acquire(int max, Duration timeout) throws InterruptedException {
		if (!this.permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return 0;
		}
		int taken = 1;
		while (taken < max && this.permits.tryAcquire()) {
			taken++;
		}
		return taken;
	}

	void giveBack(int unused) {
		if (unused > 0) {
			this.permits.release(unused);
		}
	}

	/**
	 * Hold a received message until it is settled or released.
	 * @param message the message, for which a permit was acquired
	 * @return its delivery attempt: the receive count less the times this subscription
	 * released it unhandled
	 */
	int hold(Message message) {
		this.held.put(message.receiptHandle(), new Held(message));
		Integer released = this.releases.isEmpty() ? null : this.releases.get(message.messageId());
		return Math.max(1, SqsMessageMapping.receiveCount(message) - ((released != null) ? released : 0));
	}

	void delete(Message message) {
		if (!this.releases.isEmpty()) {
			this.releases.remove(message.messageId());
		}
		String receiptHandle = message.receiptHandle();
		this.deleting.put(receiptHandle, message);
		track(() -> this.requests.delete(this.queueUrl, receiptHandle), message, "delete")
			.whenComplete((response, ex) -> this.deleting.remove(receiptHandle, message));
		unhold(message);
	}

	/**
	 * Change the visibility of a message to a delay, after which SQS delivers it again.
	 * Unlike a pending delete, the message is not kept invisible any longer. The message
	 * is extended no more, and an extension already sent is let finish first, so that the
	 * change is the last one SQS applies: sent together or after it, an extension would
	 * replace the delay with the whole visibility timeout.
	 * @param message the message
	 * @param delay how long it stays invisible, rounded up to whole seconds
	 */
	void changeVisibility(Message message, Duration delay) {
		long seconds = Math.min(MAX_VISIBILITY_SECONDS, (Math.max(0, delay.toMillis()) + 999) / 1000);
		Held entry = this.held.get(message.receiptHandle());
		CompletableFuture<?> extension = (entry != null) ? entry.settle() : null;
		Supplier<CompletableFuture<?>> change = () -> this.requests.changeVisibility(this.queueUrl,
				message.receiptHandle(), (int) seconds);
		track(() -> (extension == null || extension.isDone()) ? change.get()
				: extension.handle((response, ex) -> null).thenCompose((ignored) -> change.get()), message,
				"change the visibility of");
		unhold(message);
	}

	/**
	 * Make a message that was never handed to the listener visible again at once.
	 * @param message the message
	 */
	void release(Message message) {
		if (this.releases.size() >= MAX_REMEMBERED_RELEASES) {
			this.releases.clear();
		}
		this.releases.merge(message.messageId(), 1, Integer::sum);
		changeVisibility(message, Duration.ZERO);
	}

	/**
	 * Release messages received after the subscription closed, which were never held.
	 * @param messages the messages
	 */
	void releaseUnheld(List<Message> messages) {
		for (Message message : messages) {
			this.held.put(message.receiptHandle(), new Held(message));
			release(message);
		}
	}

	/**
	 * Push the visibility timeout of every held message forward, so that none reappears
	 * while it waits for a handler or its handler runs, nor while its delete is pending.
	 */
	void extendVisibility() {
		int seconds = (int) this.visibilityTimeout.toSeconds();
		for (Held entry : List.copyOf(this.held.values())) {
			entry.extend(seconds);
		}
		this.deleting.forEach((receiptHandle, message) -> {
			if (!this.held.containsKey(receiptHandle)) {
				extend(message, seconds);
			}
		});
	}

	/**
	 * Extend the visibility of one message. A failure is a warning only while the message
	 * is held: one whose delete is pending or done either is gone (the extension raced
	 * the delete) or comes back because its delete failed, which {@link #delete(Message)}
	 * reports.
	 * @param message the message
	 * @param seconds the new visibility timeout
	 * @return the extension, or {@code null} if it could not be requested
	 */
	private @Nullable CompletableFuture<?> extend(Message message, int seconds) {
		try {
			return this.requests.changeVisibility(this.queueUrl, message.receiptHandle(), seconds)
				.whenComplete((response, ex) -> {
					if (ex == null) {
						return;
					}
					if (this.held.containsKey(message.receiptHandle())) {
						logger.warn("Could not extend the visibility of message " + message.messageId() + " on "
								+ this.queueUrl + ": " + SqsFailures.unwrap(ex));
					}
					else if (logger.isDebugEnabled()) {
						logger.debug("Visibility of message " + message.messageId() + ", no longer held, not extended: "
								+ SqsFailures.unwrap(ex));
					}
				});
		}
		catch (RuntimeException ex) {
			logger.debug("Visibility of message " + message.messageId() + " not extended: " + ex);
			return null;
		}
	}

	int size() {
		return this.held.size();
	}

	/**
	 * Wait until no message is held and every settlement was sent, or the timeout passed.
	 * @param timeout the longest wait
	 * @return whether everything was settled
	 */
	boolean awaitSettled(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!await(this.held::isEmpty, deadline)) {
			return false;
		}
		await(() -> this.settling.get() == 0, deadline);
		return true;
	}

	/**
	 * Wait until the deletes and visibility changes requested so far were sent.
	 * @param timeout the longest wait
	 */
	void awaitSent(Duration timeout) {
		await(() -> this.settling.get() == 0, System.nanoTime() + timeout.toNanos());
	}

	private boolean await(BooleanSupplier condition, long deadline) {
		this.awaited = true;
		return MonitorWait.until(this.drained, condition, deadline);
	}

	private void wakeWaiters() {
		if (this.awaited) {
			synchronized (this.drained) {
				this.drained.notifyAll();
			}
		}
	}

	/**
	 * A held message and the extension of its visibility last requested. Extending and
	 * settling take its monitor, so that no extension is requested once it is settled.
	 */
	private final class Held {

		private final Message message;

		private @Nullable CompletableFuture<?> extension;

		private boolean settled;

		Held(Message message) {
			this.message = message;
		}

		synchronized void extend(int seconds) {
			if (!this.settled) {
				this.extension = SqsInFlight.this.extend(this.message, seconds);
			}
		}

		/**
		 * Stop extending the message.
		 * @return the extension last requested, or {@code null}
		 */
		synchronized @Nullable CompletableFuture<?> settle() {
			this.settled = true;
			return this.extension;
		}

	}

	private void unhold(Message message) {
		if (this.held.remove(message.receiptHandle()) != null) {
			this.permits.release();
		}
		wakeWaiters();
	}

	private CompletableFuture<?> track(Supplier<CompletableFuture<?>> request, Message message, String action) {
		CompletableFuture<?> settlement;
		try {
			settlement = request.get();
		}
		catch (RuntimeException ex) {
			settlement = CompletableFuture.failedFuture(ex);
		}
		this.settling.incrementAndGet();
		settlement.whenComplete((response, ex) -> {
			if (this.settling.decrementAndGet() == 0) {
				wakeWaiters();
			}
			if (ex != null) {
				String outcome = SqsFailures.isMissing(ex)
						? "; the queue does not exist, and the message was lost with it"
						: "; it will be delivered again";
				logger.warn("Could not " + action + " message " + message.messageId() + " on " + this.queueUrl + outcome
						+ ": " + SqsFailures.unwrap(ex));
			}
		});
		return settlement;
	}

}
