package dev.eventbus.test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;

/**
 * An adapter that forwards every call to another one: extend it to observe or change one
 * part of an adapter in a test (for example, to record the deliveries a listener gets)
 * and leave the rest to the adapter under test.
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
