package dev.eventbus.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How a subscription of a batch handler receives: in batches handed to
 * {@link DeliveryListener#onBatch}.
 *
 * @param maxSize the most deliveries in one batch
 * @param maxWait the longest an adapter waits for a batch to fill once it holds its first
 * delivery
 */
public record BatchSpec(int maxSize, Duration maxWait) {

	public BatchSpec {
		Objects.requireNonNull(maxWait, "maxWait");
		if (maxSize < 1) {
			throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
		}
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
		}
	}

}
