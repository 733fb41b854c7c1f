package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;

/**
 * A pub/sub subscription: every message published on the channel while it is subscribed,
 * handed to the listener with at most {@code spec.capacity()} in flight (the container's
 * thread waits for a free slot). Acknowledging only frees the slot; a retry redelivers
 * the message in this instance after its delay. Messages are lost when the instance stops
 * or is disconnected (at-most-once). {@link SubscriptionState#STARTING} until Redis
 * confirmed the subscription.
 * <p>
 * Without a {@link SubscriptionSpec#batch() batch} each message goes to
 * {@link DeliveryListener#onDelivery} on a handler thread. In batch mode messages, and
 * retries once their delay has passed, are collected under this subscription's monitor
 * into the batch being formed: the thread that fills it to {@link BatchSpec#maxSize()}
 * (the container's, or a retry's) hands it over, and so does a timer
 * {@link BatchSpec#maxWait()} after its first message, if it is not full by then. A batch
 * handed over goes to {@link DeliveryListener#onBatch} on a handler thread, at most
 * {@code spec.concurrency()} batches at once (handler threads wait for their turn).
 * Closing hands the batch being formed over at once. Thread safe.
 */
final class PubSubSubscription implements Subscription, MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(PubSubSubscription.class);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final Executor handlers;

	private final ScheduledExecutorService timers;

	private final Runnable unsubscribe;

	private final int capacity;

	/** Messages held: being collected, in a handler, or not yet settled. */
	private final Semaphore slots;

	/** In batch mode, the batches that may be in a handler at once. */
	private final Semaphore batchTurns;

	/**
	 * In batch mode, the batch being formed; guarded by this subscription's monitor, as
	 * is {@link #formed}.
	 */
	private final List<PubSubDelivery> forming = new ArrayList<>();

	/** Batches handed over so far, which tells a timer whether its batch still forms. */
	private long formed;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final AtomicLong received = new AtomicLong();

	PubSubSubscription(SubscriptionSpec spec, DeliveryListener listener, Executor handlers,
			ScheduledExecutorService timers, Runnable unsubscribe) {
		this.spec = spec;
		this.listener = listener;
		this.handlers = handlers;
		this.timers = timers;
		this.unsubscribe = unsubscribe;
		this.capacity = spec.capacity();
		this.slots = new Semaphore(this.capacity);
		this.batchTurns = new Semaphore(spec.concurrency(), true);
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	@Override
	public SubscriptionState state() {
		return this.state.get();
	}

	@Override
	public Map<String, Object> details() {
		return Map.of("received", this.received.get(), "inFlight", this.capacity - this.slots.availablePermits());
	}

	@Override
	public void onChannelSubscribed(byte[] channel, long count) {
		this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
	}

	@Override
	public void onPatternSubscribed(byte[] pattern, long count) {
		this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		if (!accepting()) {
			return;
		}
		this.received.incrementAndGet();
		try {
			this.slots.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		accept(new PubSubDelivery(this.spec.destination(), message.getBody(), 1));
	}

	/**
	 * Hand on a delivery that holds a slot: to a handler, or in batch mode to the batch
	 * being formed.
	 */
	private void accept(PubSubDelivery delivery) {
		BatchSpec batch = this.spec.batch();
		if (batch == null) {
			deliver(delivery);
			return;
		}
		List<PubSubDelivery> full = null;
		synchronized (this) {
			this.forming.add(delivery);
			if (this.forming.size() >= batch.maxSize()) {
				full = takeForming();
			}
			else if (this.forming.size() == 1) {
				long batchNumber = this.formed;
				try {
					this.timers.schedule(() -> handOverDue(batchNumber), batch.maxWait().toNanos(),
							TimeUnit.NANOSECONDS);
				}
				catch (RejectedExecutionException ex) {
					full = takeForming();
				}
			}
		}
		if (full != null) {
			deliver(full);
		}
	}

	private void handOverDue(long batchNumber) {
		List<PubSubDelivery> due;
		synchronized (this) {
			if (batchNumber != this.formed || this.forming.isEmpty()) {
				return;
			}
			due = takeForming();
		}
		deliver(due);
	}

	/** Take the batch being formed; called holding the monitor. */
	private List<PubSubDelivery> takeForming() {
		List<PubSubDelivery> batch = List.copyOf(this.forming);
		this.forming.clear();
		this.formed++;
		return batch;
	}

	private boolean accepting() {
		SubscriptionState current = this.state.get();
		return current == SubscriptionState.RUNNING || current == SubscriptionState.STARTING;
	}

	private void deliver(PubSubDelivery delivery) {
		try {
			this.handlers.execute(() -> this.listener.onDelivery(delivery));
		}
		catch (RejectedExecutionException ex) {
			this.slots.release();
		}
	}

	private void deliver(List<PubSubDelivery> batch) {
		try {
			this.handlers.execute(() -> handle(batch));
		}
		catch (RejectedExecutionException ex) {
			this.slots.release(batch.size());
		}
	}

	private void handle(List<PubSubDelivery> batch) {
		try {
			this.batchTurns.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.slots.release(batch.size());
			return;
		}
		try {
			this.listener.onBatch(batch);
		}
		finally {
			this.batchTurns.release();
		}
	}

	private void redeliverLater(PubSubDelivery delivery) {
		if (!accepting()) {
			return;
		}
		try {
			this.handlers.execute(() -> {
				try {
					this.slots.acquire();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				accept(delivery);
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Adapter closed; retry of a message of '" + this.spec.destination() + "' dropped");
		}
	}

	@Override
	public void close(Duration drainTimeout) {
		SubscriptionState current = this.state.get();
		if (current == SubscriptionState.STOPPING || current == SubscriptionState.STOPPED
				|| !this.state.compareAndSet(current, SubscriptionState.STOPPING)) {
			return;
		}
		try {
			this.unsubscribe.run();
			List<PubSubDelivery> forming;
			synchronized (this) {
				forming = takeForming();
			}
			if (!forming.isEmpty()) {
				deliver(forming);
			}
			Duration timeout = (drainTimeout != null) ? drainTimeout : Duration.ZERO;
			if (this.slots.tryAcquire(this.capacity, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.capacity);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to unsubscribe '" + this.spec.name() + "'", ex);
		}
		finally {
			this.state.set(SubscriptionState.STOPPED);
		}
	}

	@Override
	public String toString() {
		return "PubSubSubscription[name=" + this.spec.name() + ", channel=" + this.spec.destination() + ", state="
				+ this.state.get() + "]";
	}

	private final class PubSubDelivery implements Delivery {

		private final String destination;

		private final byte[] body;

		private final int attempt;

		PubSubDelivery(String destination, byte[] body, int attempt) {
			this.destination = destination;
			this.body = body;
			this.attempt = attempt;
		}

		@Override
		public String destination() {
			return this.destination;
		}

		@Override
		public @Nullable String messageId() {
			return null;
		}

		@Override
		public @Nullable String key() {
			return null;
		}

		@Override
		public Map<String, String> headers() {
			return Map.of();
		}

		@Override
		public byte[] body() {
			return this.body.clone();
		}

		@Override
		public int attempt() {
			return this.attempt;
		}

		@Override
		public void ack() {
			PubSubSubscription.this.slots.release();
		}

		@Override
		public void retry(Duration delay) {
			PubSubSubscription.this.slots.release();
			PubSubDelivery next = new PubSubDelivery(this.destination, this.body, this.attempt + 1);
			try {
				PubSubSubscription.this.timers.schedule(() -> redeliverLater(next), delay.toNanos(),
						TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Adapter closed; retry of a message of '" + this.destination + "' dropped");
			}
		}

	}

}
