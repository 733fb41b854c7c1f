package dev.eventbus.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One member of an in-memory consumer group. Counts the deliveries it holds unsettled, so
 * that {@link #close} can wait for them. Thread safe: its monitor guards the count and
 * the state.
 */
final class MemorySubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(MemorySubscription.class);

	private static final Duration LISTENER_FAILURE_DELAY = Duration.ofSeconds(1);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final MemoryGroup group;

	private int unsettled;

	private SubscriptionState state = SubscriptionState.RUNNING;

	MemorySubscription(SubscriptionSpec spec, DeliveryListener listener, MemoryGroup group) {
		this.spec = spec;
		this.listener = listener;
		this.group = group;
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	@Override
	public synchronized SubscriptionState state() {
		return this.state;
	}

	/**
	 * Figures of this member's group: {@code queued}, messages waiting for delivery,
	 * {@code inFlight}, deliveries not yet settled or waiting for their retry delay, and
	 * {@code members}.
	 * @return the figures
	 */
	@Override
	public Map<String, Object> details() {
		return Map.of("queued", this.group.queued(), "inFlight", this.group.inFlight(), "members",
				this.group.members());
	}

	void deliver(MemoryDelivery delivery) {
		synchronized (this) {
			this.unsettled++;
		}
		try {
			this.listener.onDelivery(delivery);
		}
		catch (RuntimeException ex) {
			logger.error("Listener of subscription '" + this.spec.name() + "' threw, which it must not; message "
					+ delivery.messageId() + " is delivered again in " + LISTENER_FAILURE_DELAY, ex);
			delivery.retry(LISTENER_FAILURE_DELAY);
		}
	}

	void deliver(List<MemoryDelivery> batch) {
		synchronized (this) {
			this.unsettled += batch.size();
		}
		try {
			this.listener.onBatch(batch);
		}
		catch (RuntimeException ex) {
			logger.error("Listener of subscription '" + this.spec.name() + "' threw, which it must not; a batch of "
					+ batch.size() + " is delivered again in " + LISTENER_FAILURE_DELAY, ex);
			batch.forEach((delivery) -> delivery.retry(LISTENER_FAILURE_DELAY));
		}
	}

	/** One of this member's deliveries was settled; called by its lane. */
	synchronized void settled() {
		this.unsettled--;
		if (this.unsettled == 0) {
			notifyAll();
		}
	}

	/**
	 * Leave the group, wait up to the timeout for this member's deliveries to be settled,
	 * and hand those still unsettled back to their lanes for another member.
	 */
	@Override
	public void close(Duration drainTimeout) {
		synchronized (this) {
			if (this.state != SubscriptionState.RUNNING) {
				return;
			}
			this.state = SubscriptionState.STOPPING;
		}
		this.group.leave(this);
		awaitSettled(drainTimeout);
		this.group.handBack(this);
		synchronized (this) {
			this.state = SubscriptionState.STOPPED;
		}
	}

	private synchronized void awaitSettled(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (this.unsettled > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stop without draining: the adapter is closing. */
	synchronized void stop() {
		this.state = SubscriptionState.STOPPED;
	}

	@Override
	public String toString() {
		return "MemorySubscription[" + this.spec.name() + " on " + this.spec.destination() + "/" + this.group.name()
				+ "]";
	}

}
