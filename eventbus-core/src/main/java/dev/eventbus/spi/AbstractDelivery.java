package dev.eventbus.spi;

import java.time.Duration;
import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Base class of deliveries that enforces "settled exactly once": the first {@link #ack()} or
 * {@link #retry(Duration)} is passed on to the adapter, every later call is ignored. Thread safe.
 */
public abstract class AbstractDelivery implements Delivery {

	private static final VarHandle SETTLED;

	static {
		try {
			SETTLED = MethodHandles.lookup().findVarHandle(AbstractDelivery.class, "settled", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@SuppressWarnings("unused") // accessed through SETTLED
	private volatile boolean settled;

	@Override
	public final void ack() {
		if (SETTLED.compareAndSet(this, false, true)) {
			acknowledge();
		}
	}

	@Override
	public final void retry(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (SETTLED.compareAndSet(this, false, true)) {
			redeliver(delay);
		}
	}

	/**
	 * Whether the delivery was acknowledged or given back.
	 * @return whether it is settled
	 */
	public final boolean isSettled() {
		return this.settled;
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
