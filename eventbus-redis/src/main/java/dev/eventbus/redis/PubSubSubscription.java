package dev.eventbus.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * handed to the listener with at most {@code spec.concurrency()} in flight (the
 * container's thread waits for a free slot). Acknowledging only frees the slot; a retry
 * redelivers the message in this instance after its delay. Messages are lost when the
 * instance stops or is disconnected (at-most-once). {@link SubscriptionState#STARTING}
 * until Redis confirmed the subscription. Thread safe.
 */
final class PubSubSubscription implements Subscription, MessageListener, SubscriptionListener {

	private static final Log logger = LogFactory.getLog(PubSubSubscription.class);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final Executor handlers;

	private final ScheduledExecutorService timers;

	private final Runnable unsubscribe;

	private final Semaphore slots;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final AtomicLong received = new AtomicLong();

	PubSubSubscription(SubscriptionSpec spec, DeliveryListener listener, Executor handlers,
			ScheduledExecutorService timers, Runnable unsubscribe) {
		this.spec = spec;
		this.listener = listener;
		this.handlers = handlers;
		this.timers = timers;
		this.unsubscribe = unsubscribe;
		this.slots = new Semaphore(spec.concurrency());
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
		return Map.of("received", this.received.get(), "inFlight",
				this.spec.concurrency() - this.slots.availablePermits());
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
		deliver(new PubSubDelivery(this.spec.destination(), message.getBody(), 1));
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
				deliver(delivery);
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
			Duration timeout = (drainTimeout != null) ? drainTimeout : Duration.ZERO;
			if (this.slots.tryAcquire(this.spec.concurrency(), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.spec.concurrency());
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
