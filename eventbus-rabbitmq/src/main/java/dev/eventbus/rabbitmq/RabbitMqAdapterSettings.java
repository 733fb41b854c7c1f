package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link RabbitMqEventBusAdapter}: what the bus adds to the connection,
 * whose host, credentials, virtual host and SSL are configured where the connection
 * factory is built ({@code spring.rabbitmq.*} with Spring Boot). Immutable.
 *
 * @param orderedPerKey deliver the messages of one key (subject) in order, one at a time:
 * group queues are declared with single active consumer, so one member of a group
 * receives at a time, and each subscription sequences the messages of a key
 * @param confirmTimeout the longest wait for the broker to confirm a publish
 * @param prefetch unacknowledged messages the broker sends to one subscription at most;
 * held retries and messages waiting for their key count against it, so each subscription
 * uses at least twice its {@link dev.eventbus.spi.SubscriptionSpec#capacity() capacity}
 * @param deliveryLimit returns to the queue (a consumer that closed or died holding the
 * message) after which the broker dead-letters a message to {@code <destination>.dlq}:
 * the backstop against a message that keeps killing its consumer. Retries the bus makes
 * itself do not count; a group queue keeps the limit it was declared with
 * @param deadLetterSuffix suffix of dead-letter destinations, whose messages are kept in
 * a queue of the same name for the dead-letter store
 * @param recoveryInterval how often a consumer cut off from the broker tries to start
 * again
 * @param requestTimeout the longest wait for a health check
 */
public record RabbitMqAdapterSettings(boolean orderedPerKey, Duration confirmTimeout, int prefetch, int deliveryLimit,
		String deadLetterSuffix, Duration recoveryInterval, Duration requestTimeout) {

	/**
	 * Unordered competing consumers, 10 s confirm timeout, prefetch 250, delivery limit
	 * 20, {@code .dlq}, 5 s recovery interval and request timeout.
	 */
	public static final RabbitMqAdapterSettings DEFAULTS = new RabbitMqAdapterSettings(false, Duration.ofSeconds(10),
			250, 20, ".dlq", Duration.ofSeconds(5), Duration.ofSeconds(5));

	public RabbitMqAdapterSettings {
		Objects.requireNonNull(confirmTimeout, "confirmTimeout");
		Objects.requireNonNull(deadLetterSuffix, "deadLetterSuffix");
		Objects.requireNonNull(recoveryInterval, "recoveryInterval");
		Objects.requireNonNull(requestTimeout, "requestTimeout");
		requirePositive("confirmTimeout", confirmTimeout);
		requirePositive("recoveryInterval", recoveryInterval);
		requirePositive("requestTimeout", requestTimeout);
		if (prefetch < 1 || prefetch > 65_535) {
			throw new IllegalArgumentException("prefetch must be between 1 and 65535, was " + prefetch);
		}
		if (deliveryLimit < 1) {
			throw new IllegalArgumentException("deliveryLimit must be at least 1, was " + deliveryLimit);
		}
		if (deadLetterSuffix.isEmpty()) {
			throw new IllegalArgumentException("deadLetterSuffix must not be empty");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
	}

	public RabbitMqAdapterSettings withOrderedPerKey(boolean orderedPerKey) {
		return new RabbitMqAdapterSettings(orderedPerKey, this.confirmTimeout, this.prefetch, this.deliveryLimit,
				this.deadLetterSuffix, this.recoveryInterval, this.requestTimeout);
	}

	public RabbitMqAdapterSettings withConfirmTimeout(Duration confirmTimeout) {
		return new RabbitMqAdapterSettings(this.orderedPerKey, confirmTimeout, this.prefetch, this.deliveryLimit,
				this.deadLetterSuffix, this.recoveryInterval, this.requestTimeout);
	}

	public RabbitMqAdapterSettings withDeliveryLimit(int deliveryLimit) {
		return new RabbitMqAdapterSettings(this.orderedPerKey, this.confirmTimeout, this.prefetch, deliveryLimit,
				this.deadLetterSuffix, this.recoveryInterval, this.requestTimeout);
	}

	public RabbitMqAdapterSettings withRecoveryInterval(Duration recoveryInterval) {
		return new RabbitMqAdapterSettings(this.orderedPerKey, this.confirmTimeout, this.prefetch, this.deliveryLimit,
				this.deadLetterSuffix, recoveryInterval, this.requestTimeout);
	}

	/**
	 * The prefetch of a subscription: the configured one, or twice its capacity when that
	 * is more, so that retries held in process and deliveries waiting for their key leave
	 * room for others.
	 * @param capacity the most deliveries the subscription runs at once
	 * @return the prefetch
	 */
	int prefetchFor(int capacity) {
		return (int) Math.min(65_535, Math.max(this.prefetch, 2L * capacity));
	}

}
