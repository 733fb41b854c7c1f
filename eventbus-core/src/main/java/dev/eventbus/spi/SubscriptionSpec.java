package dev.eventbus.spi;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a subscription receives.
 *
 * @param destination the topic, stream or queue
 * @param group the consumer group on the broker, used as is: the runtime names it (the
 * handlers' group, or {@code <group>.<handler id>} for an isolated handler), so adapters
 * must not derive their own names from it
 * @param name subscription name for logs, health and consumer names
 * @param concurrency deliveries in flight at once in this instance (distinct keys)
 * @param maxAttempts deliveries before the runtime dead-letters a message, for adapters
 * that configure broker-side redrive
 * @param batch for the subscription of a batch handler, how its batches are formed: the
 * adapter then hands deliveries to {@link DeliveryListener#onBatch}, at most
 * {@link BatchSpec#maxSize()} at once, a batch as soon as it is full or
 * {@link BatchSpec#maxWait()} after its first delivery was read. It holds the deliveries
 * of one key in order; an ordered adapter hands out no delivery of a key while one of an
 * earlier batch is unsettled, and redelivers the deliveries of a key given back from a
 * batch in their order. {@code null} for deliveries one at a time to
 * {@link DeliveryListener#onDelivery}
 * @param types the type patterns of the subscription's handlers when it opened ({@code *}
 * matches one or more characters, dots included), for adapters that can filter by type at
 * the broker, such as RabbitMQ's bindings; empty for every type. The runtime filters
 * again, so an adapter may ignore them; handlers that join later widen them with
 * {@link Subscription#addTypes}
 */
public record SubscriptionSpec(String destination, String group, String name, int concurrency, int maxAttempts,
		@Nullable BatchSpec batch, List<String> types) {

	public SubscriptionSpec {
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(name, "name");
		types = List.copyOf(types);
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
	}

	/**
	 * A subscription that receives deliveries one at a time.
	 * @param destination the topic, stream or queue
	 * @param group the consumer group on the broker
	 * @param name subscription name for logs, health and consumer names
	 * @param concurrency deliveries in flight at once in this instance (distinct keys)
	 * @param maxAttempts deliveries before the runtime dead-letters a message
	 */
	public SubscriptionSpec(String destination, String group, String name, int concurrency, int maxAttempts) {
		this(destination, group, name, concurrency, maxAttempts, null, List.of());
	}

	/**
	 * A subscription of every type, receiving in batches when {@code batch} is set.
	 * @param destination the topic, stream or queue
	 * @param group the consumer group on the broker
	 * @param name subscription name for logs, health and consumer names
	 * @param concurrency deliveries in flight at once in this instance (distinct keys)
	 * @param maxAttempts deliveries before the runtime dead-letters a message
	 * @param batch how batches are formed, or {@code null} for one delivery at a time
	 */
	public SubscriptionSpec(String destination, String group, String name, int concurrency, int maxAttempts,
			@Nullable BatchSpec batch) {
		this(destination, group, name, concurrency, maxAttempts, batch, List.of());
	}

	/**
	 * The most deliveries the subscription holds unsettled at once: its concurrency, or
	 * the size of a batch when that is larger.
	 * @return the capacity
	 */
	public int capacity() {
		return (this.batch != null) ? Math.max(this.concurrency, this.batch.maxSize()) : this.concurrency;
	}

}
