package dev.eventbus.spi;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * A delivery that forwards every call to another one: extend it to change one part of a
 * delivery, such as its attempt or what settling it also does, and leave the rest to it.
 */
public abstract class ForwardingDelivery implements Delivery {

	private final Delivery delegate;

	protected ForwardingDelivery(Delivery delegate) {
		this.delegate = delegate;
	}

	/**
	 * The delivery calls are forwarded to.
	 * @return the delivery
	 */
	protected final Delivery delegate() {
		return this.delegate;
	}

	@Override
	public String destination() {
		return this.delegate.destination();
	}

	@Override
	public @Nullable String messageId() {
		return this.delegate.messageId();
	}

	@Override
	public @Nullable String key() {
		return this.delegate.key();
	}

	@Override
	public Map<String, String> headers() {
		return this.delegate.headers();
	}

	@Override
	public byte[] body() {
		return this.delegate.body();
	}

	@Override
	public @Nullable Event<?> event() {
		return this.delegate.event();
	}

	@Override
	public int attempt() {
		return this.delegate.attempt();
	}

	@Override
	public void ack() {
		this.delegate.ack();
	}

	@Override
	public void retry(Duration delay) {
		this.delegate.retry(delay);
	}

}
