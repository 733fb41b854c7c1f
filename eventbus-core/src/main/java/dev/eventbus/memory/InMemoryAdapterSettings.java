package dev.eventbus.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link InMemoryEventBusAdapter}. Immutable and thread safe.
 *
 * @param queueCapacity messages queued or in flight per consumer group; a send to a full group
 * waits for room
 * @param publishTimeout longest time a send waits for room in a full group before it fails with
 * {@link dev.eventbus.api.EventBusOverloadedException}
 * @param historySize messages retained per destination for {@link InMemoryEventBusAdapter#history}
 * and the dead-letter store; dead-letter destinations are ordinary destinations and retain as many
 * @param maxThreads threads of the worker pool that calls listeners
 * @param threadNamePrefix prefix of the worker thread names
 */
public record InMemoryAdapterSettings(int queueCapacity, Duration publishTimeout, int historySize, int maxThreads,
		String threadNamePrefix) {

	/** Property that sets {@link #queueCapacity()}. */
	public static final String QUEUE_CAPACITY_PROPERTY = "eventbus.memory.queue-capacity";

	/** Property that sets {@link #publishTimeout()}. */
	public static final String PUBLISH_TIMEOUT_PROPERTY = "eventbus.memory.publish-timeout";

	/** The most messages a destination can retain: its ring has a power of two of slots. */
	public static final int MAX_HISTORY_SIZE = 1 << 30;

	/** 10,000 messages per group, 1 s publish timeout, 1,000 messages of history, 64 threads. */
	public static final InMemoryAdapterSettings DEFAULTS = new InMemoryAdapterSettings(10_000, Duration.ofSeconds(1),
			1_000, 64, "eventbus-memory-");

	public InMemoryAdapterSettings {
		Objects.requireNonNull(publishTimeout, "publishTimeout");
		Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
		if (queueCapacity < 1) {
			throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
		}
		if (publishTimeout.isNegative()) {
			throw new IllegalArgumentException("publishTimeout must not be negative, was " + publishTimeout);
		}
		if (historySize < 0 || historySize > MAX_HISTORY_SIZE) {
			throw new IllegalArgumentException(
					"historySize must be between 0 and " + MAX_HISTORY_SIZE + ", was " + historySize);
		}
		if (maxThreads < 1) {
			throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
		}
	}

	public InMemoryAdapterSettings withQueueCapacity(int queueCapacity) {
		return new InMemoryAdapterSettings(queueCapacity, this.publishTimeout, this.historySize, this.maxThreads,
				this.threadNamePrefix);
	}

	public InMemoryAdapterSettings withPublishTimeout(Duration publishTimeout) {
		return new InMemoryAdapterSettings(this.queueCapacity, publishTimeout, this.historySize, this.maxThreads,
				this.threadNamePrefix);
	}

	public InMemoryAdapterSettings withHistorySize(int historySize) {
		return new InMemoryAdapterSettings(this.queueCapacity, this.publishTimeout, historySize, this.maxThreads,
				this.threadNamePrefix);
	}

	public InMemoryAdapterSettings withMaxThreads(int maxThreads) {
		return new InMemoryAdapterSettings(this.queueCapacity, this.publishTimeout, this.historySize, maxThreads,
				this.threadNamePrefix);
	}

	public InMemoryAdapterSettings withThreadNamePrefix(String threadNamePrefix) {
		return new InMemoryAdapterSettings(this.queueCapacity, this.publishTimeout, this.historySize, this.maxThreads,
				threadNamePrefix);
	}

}
