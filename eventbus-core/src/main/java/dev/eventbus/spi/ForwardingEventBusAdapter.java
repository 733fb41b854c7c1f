package dev.eventbus.spi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An adapter that forwards every call to another one: extend it to change one part of an
 * adapter and leave the rest to it, as the outbox of {@code eventbus-jdbc} does with
 * {@code send}, or to observe an adapter in a test (for example, to record the deliveries
 * a listener gets).
 */
public abstract class ForwardingEventBusAdapter implements EventBusAdapter {

	private final EventBusAdapter delegate;

	protected ForwardingEventBusAdapter(EventBusAdapter delegate) {
		this.delegate = delegate;
	}

	/**
	 * The adapter calls are forwarded to.
	 * @return the adapter
	 */
	protected final EventBusAdapter delegate() {
		return this.delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public AdapterCapabilities capabilities() {
		return this.delegate.capabilities();
	}

	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		return this.delegate.send(message);
	}

	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		return this.delegate.subscribe(spec, listener);
	}

	@Override
	public AdapterHealth health() {
		return this.delegate.health();
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return this.delegate.deadLetterStore();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

}
