package dev.eventbus.spi;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A transport: what an adapter module implements. Small on purpose: retry,
 * dead-lettering, settling once, metrics, tracing and type conversion live once in the
 * runtime, around this contract.
 * <p>
 * Implementations are thread safe. {@link #send} may be called from many threads at once
 * and must not block longer than the adapter's own send timeout.
 */
public interface EventBusAdapter extends AutoCloseable {

	/**
	 * Adapter name as used in {@code eventbus.adapter}, for example {@code kafka}.
	 * @return the name
	 */
	String name();

	/**
	 * What this adapter guarantees; the runtime and the conformance suite rely on it.
	 * @return the capabilities
	 */
	AdapterCapabilities capabilities();

	/**
	 * Write a message to its destination, keyed by its key.
	 * @param message the message
	 * @return a future completed once the broker accepted the message durably, or
	 * exceptionally (an adapter that accepts in process may return a completed future)
	 */
	CompletableFuture<SendResult> send(OutboundMessage message);

	/**
	 * Start receiving a destination as a member of a consumer group. Within a group each
	 * message is given to one member; every group gets every message. Messages with the
	 * same key are given to the listener one at a time, in order, when
	 * {@link AdapterCapabilities#orderedPerKey()}.
	 * @param spec what to receive
	 * @param listener the listener, called on the adapter's threads
	 * @return the running subscription
	 */
	Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener);

	/**
	 * Report connectivity. Must return within a short, bounded time.
	 * @return the health
	 */
	AdapterHealth health();

	/**
	 * Browse and remove dead letters, where the transport can.
	 * @return the store, or empty
	 */
	default Optional<DeadLetterStore> deadLetterStore() {
		return Optional.empty();
	}

	/**
	 * Release every resource. Called after all subscriptions were closed. Sends accepted
	 * before close are flushed.
	 */
	@Override
	void close();

}
