package dev.eventbus.sqs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A subscription reading its group queue: one thread long-polls for as many messages as
 * the in-flight bound ({@link SqsAdapterSettings#maxInFlightMessages()}) allows and hands
 * them to an {@link SqsDispatcher}; held messages stay invisible while they wait or run.
 * Closing stops the polls, releases the messages that have not started and waits for the
 * running ones. A poll still open at close releases what it returns.
 * <p>
 * A batch handler's subscription ({@link SubscriptionSpec#batch()}) holds up to its
 * {@link SubscriptionSpec#capacity() capacity} instead, and its polling thread forms the
 * batches ({@link SqsBatchReceiver}): it receives, up to 10 messages at a time, until it
 * holds {@link BatchSpec#maxSize()} or {@link BatchSpec#maxWait()} has passed since the
 * first of them arrived, long-polling only for the time left, and then hands the batch to
 * the dispatcher, which runs it on a handler thread. A receive still open when a batch is
 * due starts the next one. On FIFO queues SQS returns nothing more of a message group
 * while one of its messages is in flight, so a batch keeps the order of each group and no
 * batch gets a message of a group while an earlier one is unsettled.
 * <p>
 * A receive that finds the queue missing {@link SqsQueues#recover(String) recovers} it,
 * creating it again when auto-creation is on, and polls on; while it stays missing the
 * subscription is {@link SubscriptionState#RECONNECTING} and tries again every second. A
 * receive that takes longer than the long-poll wait plus
 * {@link SqsAdapterSettings#requestTimeout()}, as one on a queue deleted meanwhile may,
 * is abandoned and made again. Thread safe.
 */
final class SqsSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(SqsSubscription.class);

	private static final int MAX_BATCH = 10;

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final SqsBatchedRequests requests;

	private final SqsQueues queues;

	private final SqsMessageMapping mapping;

	private final SqsAdapterSettings settings;

	private final ScheduledExecutorService scheduler;

	private final SqsDispatcher dispatcher;

	private final SqsPolls polls;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final CountDownLatch closing = new CountDownLatch(1);

	private final Object stopped = new Object();

	private volatile @Nullable SqsQueueDepth depth;

	private volatile @Nullable SqsInFlight inFlight;

	private volatile @Nullable ScheduledFuture<?> extension;

	/** The problem last logged while reconnecting; used by the polling thread only. */
	private @Nullable String reconnectingBecause;

	SqsSubscription(SubscriptionSpec spec, DeliveryListener listener, SqsAsyncClient client,
			SqsBatchedRequests requests, SqsQueues queues, SqsMessageMapping mapping, SqsAdapterSettings settings,
			ScheduledExecutorService scheduler) {
		this.spec = spec;
		this.listener = listener;
		this.requests = requests;
		this.queues = queues;
		this.mapping = mapping;
		this.settings = settings;
		this.scheduler = scheduler;
		this.dispatcher = new SqsDispatcher(spec, listener, mapping, settings.fifo(), scheduler, this::closed);
		this.polls = new SqsPolls(client, settings);
	}

	void start() {
		Thread poller = new Thread(this::run, "eventbus-sqs-poll-" + this.spec.name());
		poller.setDaemon(true);
		poller.start();
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	/**
	 * Name of the queue this subscription reads.
	 * @return the queue name
	 */
	String queueName() {
		return this.queues.names().groupQueue(this.spec.destination(), this.spec.group());
	}

	@Override
	public SubscriptionState state() {
		return this.state.get();
	}

	@Override
	public Map<String, Object> details() {
		SqsQueueDepth current = this.depth;
		SqsInFlight held = this.inFlight;
		Map<String, Object> figures = new LinkedHashMap<>((current != null) ? current.figures() : Map.of());
		figures.put("inFlight", (held != null) ? held.size() : 0);
		return figures;
	}

	private void run() {
		SqsInFlight current = resolveQueue();
		if (current == null) {
			return;
		}
		this.inFlight = current;
		this.depth = new SqsQueueDepth(this.queues, current.queueUrl());
		Duration period = this.settings.visibilityTimeout().dividedBy(3);
		ScheduledFuture<?> extending = this.scheduler.scheduleWithFixedDelay(current::extendVisibility,
				period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
		this.extension = extending;
		if (closed()) {
			extending.cancel(false);
			return;
		}
		this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
		try {
			BatchSpec batch = this.spec.batch();
			if (batch != null) {
				new SqsBatchReceiver(batch, this.polls, this.dispatcher, this.settings.waitTime(), this::received,
						this::closed)
					.run(current);
			}
			else {
				receiveDeliveries(current);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The receive loop for deliveries one at a time: each receive is dispatched as it
	 * returns.
	 * @param current where the subscription's messages are held
	 * @throws InterruptedException if interrupted
	 */
	private void receiveDeliveries(SqsInFlight current) throws InterruptedException {
		while (!closed()) {
			int permits = current.acquire(MAX_BATCH, this.settings.waitTime().plusSeconds(1));
			if (permits == 0) {
				continue;
			}
			List<Message> messages = received(current, this.polls.start(current, permits, this.settings.waitTime()));
			if (messages == null) {
				continue;
			}
			if (closed()) {
				current.releaseUnheld(messages);
				return;
			}
			this.dispatcher.dispatch(current, messages);
		}
	}

	private @Nullable SqsInFlight resolveQueue() {
		while (!closed()) {
			try {
				String url = this.queues
					.subscriptionQueue(this.spec.destination(), this.spec.group(), this.spec.maxAttempts())
					.get(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
				int maxInFlight = (this.spec.batch() != null) ? this.spec.capacity()
						: this.settings.maxInFlightMessages();
				return new SqsInFlight(url, this.requests, this.settings.visibilityTimeout(), maxInFlight);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (Exception ex) {
				Throwable cause = SqsFailures.unwrap((ex.getCause() != null) ? ex.getCause() : ex);
				if (cause instanceof QueueDoesNotExistException) {
					logger.error("Subscription " + this.spec.name() + " to '" + this.spec.destination()
							+ "' cannot start: " + cause.getMessage());
					this.state.set(SubscriptionState.FAILED);
					return null;
				}
				reconnecting("find the queue", cause);
			}
		}
		return null;
	}

	/**
	 * Wait until a receive returns and give back the permits its messages do not use.
	 * When it fails, all of its permits are given back and, unless the subscription
	 * closed, a missing queue is recovered or the subscription reconnects.
	 * @param current where the subscription's messages are held
	 * @param receive the receive
	 * @return its messages, in the order SQS returned them, or {@code null} when it
	 * failed
	 * @throws InterruptedException if interrupted while waiting
	 */
	private @Nullable List<Message> received(SqsInFlight current, SqsPolls.Receive receive)
			throws InterruptedException {
		List<Message> messages;
		try {
			messages = receive.response().get().messages();
			this.state.compareAndSet(SubscriptionState.RECONNECTING, SubscriptionState.RUNNING);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			current.giveBack(receive.permits());
			Throwable cause = SqsFailures.unwrap((ex.getCause() != null) ? ex.getCause() : ex);
			if (closed()) {
				return null;
			}
			if (SqsFailures.isMissing(cause)) {
				recoverQueue(current);
			}
			else {
				reconnecting("receive", cause);
			}
			return null;
		}
		finally {
			this.polls.ended();
		}
		current.giveBack(receive.permits() - messages.size());
		return messages;
	}

	private void recoverQueue(SqsInFlight current) throws InterruptedException {
		String lost = current.queueUrl();
		try {
			String url = this.queues.recover(lost)
				.get(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (!url.equals(lost)) {
				current.moveTo(url);
				this.depth = new SqsQueueDepth(this.queues, url);
			}
			logger.warn("Queue " + queueName() + " of subscription " + this.spec.name()
					+ " was missing; it exists again and the subscription goes on");
		}
		catch (ExecutionException | TimeoutException ex) {
			reconnecting("recover its queue", SqsFailures.unwrap((ex.getCause() != null) ? ex.getCause() : ex));
		}
	}

	/**
	 * Wait before trying again, logging the problem when the subscription starts
	 * reconnecting or the kind of problem changes.
	 * @param action what failed
	 * @param cause why
	 */
	private void reconnecting(String action, Throwable cause) {
		String problem = action + ": " + cause.getClass().getName();
		boolean started = this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.RECONNECTING)
				|| this.state.get() == SubscriptionState.STARTING;
		if (started || !problem.equals(this.reconnectingBecause)) {
			logger.warn("Subscription " + this.spec.name() + " could not " + action + " on SQS; retrying: " + cause);
			this.reconnectingBecause = problem;
		}
		try {
			this.closing.await(RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean closed() {
		return this.closing.getCount() == 0;
	}

	/**
	 * Cancel a long poll in progress, for an adapter that closes its client.
	 */
	void abortPoll() {
		this.polls.abort();
	}

	@Override
	public void close(Duration drainTimeout) {
		SubscriptionState previous = this.state
			.getAndUpdate((current) -> (current == SubscriptionState.STOPPED || current == SubscriptionState.FAILED)
					? current : SubscriptionState.STOPPING);
		if (previous == SubscriptionState.STOPPED || previous == SubscriptionState.FAILED
				|| previous == SubscriptionState.STOPPING) {
			awaitStopped(drainTimeout);
			return;
		}
		this.closing.countDown();
		SqsInFlight current = this.inFlight;
		if (current != null && !current.awaitSettled(drainTimeout)) {
			logger.info("Subscription " + this.spec.name() + " closed with " + current.size()
					+ " deliveries unsettled; SQS delivers them again after their visibility timeout");
		}
		ScheduledFuture<?> extending = this.extension;
		if (extending != null) {
			extending.cancel(false);
		}
		this.dispatcher.shutdown();
		synchronized (this.stopped) {
			this.state.set(SubscriptionState.STOPPED);
			this.stopped.notifyAll();
		}
	}

	private void awaitStopped(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
		MonitorWait.until(this.stopped, () -> this.state.get() != SubscriptionState.STOPPING, deadline);
	}

	/**
	 * Wait until the deletes and visibility changes already requested were sent, before
	 * the adapter stops the scheduler that sends lingering batches.
	 * @param timeout the longest wait
	 */
	void awaitSettlementsSent(Duration timeout) {
		SqsInFlight current = this.inFlight;
		if (current != null) {
			current.awaitSent(timeout);
		}
	}

	@Override
	public String toString() {
		return "SqsSubscription[" + this.spec + ", state=" + this.state.get() + "]";
	}

}
