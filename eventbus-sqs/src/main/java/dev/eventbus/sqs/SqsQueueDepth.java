package dev.eventbus.sqs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The approximate depth of a queue for health and metrics: {@code lag} (messages waiting)
 * and {@code pending} (messages in flight), read with {@code GetQueueAttributes} at most
 * every 5 seconds and in the background, so {@link #figures()} never blocks. Thread safe.
 */
final class SqsQueueDepth {

	/**
	 * The figures before the first read: named, so that their gauges exist, but without a
	 * value.
	 */
	private static final Map<String, @Nullable Object> NOT_MEASURED = Collections.unmodifiableMap(Stream
		.of("lag", "pending")
		.collect(LinkedHashMap<String, @Nullable Object>::new, (map, figure) -> map.put(figure, null), Map::putAll));

	private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final SqsQueues queues;

	private final String queueUrl;

	private final AtomicReference<Map<String, @Nullable Object>> figures = new AtomicReference<>(NOT_MEASURED);

	private volatile long readAt = System.nanoTime() - MAX_AGE_NANOS - 1;

	SqsQueueDepth(SqsQueues queues, String queueUrl) {
		this.queues = queues;
		this.queueUrl = queueUrl;
	}

	/**
	 * The figures last read, starting a new read when they are older than 5 seconds.
	 * @return the queue name, {@code lag} and {@code pending}; empty until the first read
	 * completes
	 */
	Map<String, Object> figures() {
		long now = System.nanoTime();
		if (now - this.readAt > MAX_AGE_NANOS) {
			this.readAt = now;
			this.queues
				.attributes(this.queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
				.thenAccept((response) -> {
					Map<String, Object> read = new LinkedHashMap<>();
					read.put("queue", SqsQueues.queueName(this.queueUrl));
					read.put("lag",
							number(response.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
					read.put("pending", number(
							response.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
					this.figures.set(Map.copyOf(read));
				})
				.exceptionally((ex) -> null);
		}
		return this.figures.get();
	}

	private static long number(@Nullable String value) {
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
