package dev.eventbus.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link InMemoryEventBusAdapter}. Immutable and thread safe.
 *
 * @param queueCapacity messages queued or in flight per consumer group; a send to a full
 * group waits for room
 * @param enqueueTimeout longest time a send waits for room in a full group before it
 * fails with {@link dev.eventbus.api.EventBusOverloadedException}
 * @param historySize messages retained per destination for
 * {@link InMemoryEventBusAdapter#history} and the dead-letter store; dead-letter
 * destinations are ordinary destinations and retain as many
 */
public record InMemoryAdapterSettings(int queueCapacity, Duration enqueueTimeout, int historySize) {

	/** Property that sets {@link #queueCapacity()}. */
	public static final String QUEUE_CAPACITY_PROPERTY = "eventbus.memory.queue-capacity";

	/** Property that sets {@link #enqueueTimeout()}. */
	public static final String ENQUEUE_TIMEOUT_PROPERTY = "eventbus.memory.enqueue-timeout";

	/** 10,000 messages per group, 1 s to wait for room, 1,000 messages of history. */
	public static final InMemoryAdapterSettings DEFAULTS = new InMemoryAdapterSettings(10_000, Duration.ofSeconds(1),
			1_000);

	public InMemoryAdapterSettings {
		Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
		}
		if (enqueueTimeout.isNegative()) {
			throw new IllegalArgumentException("enqueueTimeout must not be negative, was " + enqueueTimeout);
		}
		if (historySize < 0) {
			throw new IllegalArgumentException("historySize must not be negative, was " + historySize);
		}
	}

	public InMemoryAdapterSettings withQueueCapacity(int queueCapacity) {
		return new InMemoryAdapterSettings(queueCapacity, this.enqueueTimeout, this.historySize);
	}

	public InMemoryAdapterSettings withEnqueueTimeout(Duration enqueueTimeout) {
		return new InMemoryAdapterSettings(this.queueCapacity, enqueueTimeout, this.historySize);
	}

	public InMemoryAdapterSettings withHistorySize(int historySize) {
		return new InMemoryAdapterSettings(this.queueCapacity, this.enqueueTimeout, historySize);
	}

}
