package dev.eventbus.memory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A member of an in-memory consumer group. {@link SubscriptionState#RUNNING} from creation, then
 * {@link SubscriptionState#STOPPING} while {@link #close(Duration)} drains and
 * {@link SubscriptionState#STOPPED}. Thread safe.
 */
final class MemorySubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(MemorySubscription.class);

	/** Delay before a delivery whose listener threw is redelivered. */
	static final Duration LISTENER_FAILURE_DELAY = Duration.ofMillis(100);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final MemoryGroup group;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.RUNNING);

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
	public SubscriptionState state() {
		return this.state.get();
	}

	/**
	 * Figures of the group this subscription is a member of.
	 * @return {@code queued}, {@code inFlight}, {@code members} and {@code lanes}
	 */
	@Override
	public Map<String, Object> details() {
		return this.group.details();
	}

	/**
	 * Leave the group, wait up to the timeout for this member's deliveries to be settled, and hand
	 * the rest back to their lanes for another member (or the next one to join). Idempotent; a
	 * concurrent second call returns at once. Never throws.
	 * @param drainTimeout the longest wait
	 */
	@Override
	public void close(Duration drainTimeout) {
		if (this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.STOPPING)) {
			try {
				this.group.leave(this, (drainTimeout != null) ? drainTimeout : Duration.ZERO);
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to close in-memory subscription '" + this.spec.name() + "'", ex);
			}
			finally {
				this.state.set(SubscriptionState.STOPPED);
			}
		}
	}

	void deliver(MemoryDelivery delivery) {
		try {
			this.listener.onDelivery(delivery);
		}
		catch (Throwable ex) {
			logger.warn("Listener of subscription '" + this.spec.name() + "' failed on " + delivery
					+ "; redelivering in " + LISTENER_FAILURE_DELAY.toMillis() + "ms", ex);
			delivery.retry(LISTENER_FAILURE_DELAY);
		}
	}

	@Override
	public String toString() {
		return "MemorySubscription[name=" + this.spec.name() + ", destination=" + this.spec.destination() + ", group="
				+ this.spec.group() + ", state=" + this.state.get() + "]";
	}

}
