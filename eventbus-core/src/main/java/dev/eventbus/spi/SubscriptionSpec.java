package dev.eventbus.spi;

import java.util.Objects;

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
 */
public record SubscriptionSpec(String destination, String group, String name, int concurrency, int maxAttempts) {

	public SubscriptionSpec {
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(name, "name");
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
	}

}
