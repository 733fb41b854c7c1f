package dev.eventbus.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Base class of deliveries that enforces "settled exactly once": the first {@link #ack()} or
 * {@link #retry(Duration)} is passed on to the adapter, every later call is ignored. Thread safe.
 */
public abstract class AbstractDelivery implements Delivery {

	private final AtomicBoolean settled = new AtomicBoolean();

	@Override
	public final void ack() {
		if (this.settled.compareAndSet(false, true)) {
			acknowledge();
		}
	}

	@Override
	public final void retry(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (this.settled.compareAndSet(false, true)) {
			redeliver(delay);
		}
	}

	/**
	 * Whether the delivery was acknowledged or given back.
	 * @return whether it is settled
	 */
	public final boolean isSettled() {
		return this.settled.get();
	}

	/**
	 * Acknowledge the message on the broker; called at most once.
	 */
	protected abstract void acknowledge();

	/**
	 * Have the message delivered again no earlier than after the delay; called at most once.
	 * @param delay the least time before redelivery
	 */
	protected abstract void redeliver(Duration delay);

}
