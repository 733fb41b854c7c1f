package dev.eventbus.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * What the bus adds to the Kafka clients it is given: topic creation and its own
 * timeouts. The client configurations themselves (bootstrap servers, security,
 * {@code spring.kafka.*}) live in the producer and consumer factories and the
 * {@code KafkaAdmin} given to the {@link KafkaEventBusAdapter}. Immutable.
 *
 * @param createTopics whether destinations and dead-letter destinations are created when
 * first used
 * @param partitions partitions of the topics created
 * @param replicationFactor replication factor of the topics created
 * @param closeTimeout longest a producer flush or a container stop waits
 * @param operationTimeout longest an admin operation (topic creation, lag) or a
 * dead-letter read waits
 * @param healthTimeout longest a health check or connection probe (describe cluster)
 * waits
 * @param deadLetterMarkerTopic compacted topic that records which dead letters were
 * removed
 */
public record KafkaAdapterSettings(boolean createTopics, int partitions, short replicationFactor, Duration closeTimeout,
		Duration operationTimeout, Duration healthTimeout, String deadLetterMarkerTopic) {

	/** Default partitions of created topics. */
	public static final int DEFAULT_PARTITIONS = 6;

	/** Default name of the topic recording removed dead letters. */
	public static final String DEFAULT_DEAD_LETTER_MARKER_TOPIC = "eventbus-dead-letter-markers";

	/**
	 * Topics created with {@value #DEFAULT_PARTITIONS} partitions and replication factor
	 * 1, a 30 second close timeout, 10 second operation timeout and 2 second health
	 * timeout.
	 */
	public static final KafkaAdapterSettings DEFAULTS = new KafkaAdapterSettings(true, DEFAULT_PARTITIONS, (short) 1,
			Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2), DEFAULT_DEAD_LETTER_MARKER_TOPIC);

	public KafkaAdapterSettings {
		Objects.requireNonNull(closeTimeout, "closeTimeout");
		Objects.requireNonNull(operationTimeout, "operationTimeout");
		Objects.requireNonNull(healthTimeout, "healthTimeout");
		Objects.requireNonNull(deadLetterMarkerTopic, "deadLetterMarkerTopic");
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
		}
		if (replicationFactor < 1) {
			throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
		}
	}

	/**
	 * A copy with topics created with these partitions and replication factor.
	 * @param newPartitions the partitions
	 * @param newReplicationFactor the replication factor
	 * @return the settings
	 */
	public KafkaAdapterSettings withTopics(int newPartitions, short newReplicationFactor) {
		return new KafkaAdapterSettings(this.createTopics, newPartitions, newReplicationFactor, this.closeTimeout,
				this.operationTimeout, this.healthTimeout, this.deadLetterMarkerTopic);
	}

	/**
	 * A copy with these timeouts.
	 * @param newCloseTimeout the close timeout
	 * @param newOperationTimeout the operation timeout
	 * @return the settings
	 */
	public KafkaAdapterSettings withTimeouts(Duration newCloseTimeout, Duration newOperationTimeout) {
		return new KafkaAdapterSettings(this.createTopics, this.partitions, this.replicationFactor, newCloseTimeout,
				newOperationTimeout, this.healthTimeout, this.deadLetterMarkerTopic);
	}

}
