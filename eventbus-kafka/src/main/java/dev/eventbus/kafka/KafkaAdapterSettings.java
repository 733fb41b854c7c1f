package dev.eventbus.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Settings of a {@link KafkaEventBusAdapter}: the client configurations, as Spring Boot builds them
 * from {@code spring.kafka.*}, and what the bus adds. The adapter overrides the few client settings
 * its guarantees depend on (serializers, {@code acks}, idempotence, auto commit) and keeps every
 * other one, security included. Immutable; the maps are copied.
 *
 * @param producerProperties producer configuration
 * @param consumerProperties consumer configuration; {@code group.id} is set per subscription
 * @param adminProperties admin client configuration
 * @param createTopics whether destinations and dead-letter destinations are created when first used
 * @param partitions partitions of the topics created
 * @param replicationFactor replication factor of the topics created
 * @param pollTimeout longest a listener container's poll waits for records
 * @param closeTimeout longest a producer close or a container stop waits
 * @param operationTimeout longest an admin operation (topic creation, lag) or a dead-letter read waits
 * @param healthTimeout longest a health check or connection probe (describe cluster) waits
 * @param deadLetterMarkerTopic compacted topic that records which dead letters were removed
 */
public record KafkaAdapterSettings(Map<String, Object> producerProperties, Map<String, Object> consumerProperties,
		Map<String, Object> adminProperties, boolean createTopics, int partitions, short replicationFactor,
		Duration pollTimeout, Duration closeTimeout, Duration operationTimeout, Duration healthTimeout,
		String deadLetterMarkerTopic) {

	/** Default partitions of created topics. */
	public static final int DEFAULT_PARTITIONS = 6;

	/** Default name of the topic recording removed dead letters. */
	public static final String DEFAULT_DEAD_LETTER_MARKER_TOPIC = "eventbus-dead-letter-markers";

	public KafkaAdapterSettings {
		producerProperties = Map.copyOf(producerProperties);
		consumerProperties = Map.copyOf(consumerProperties);
		adminProperties = Map.copyOf(adminProperties);
		Objects.requireNonNull(pollTimeout, "pollTimeout");
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
	 * Settings for a broker reached at these bootstrap servers without security, with defaults for
	 * everything else: topics created with {@value #DEFAULT_PARTITIONS} partitions and replication
	 * factor 1, a 1 second poll timeout, 30 second close timeout, 10 second operation timeout and 2
	 * second health timeout.
	 * @param bootstrapServers comma-separated {@code host:port} list
	 * @return the settings
	 */
	public static KafkaAdapterSettings of(String bootstrapServers) {
		Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		return new KafkaAdapterSettings(client, client, client, true, DEFAULT_PARTITIONS, (short) 1,
				Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
				DEFAULT_DEAD_LETTER_MARKER_TOPIC);
	}

	/**
	 * A copy with topics created with these partitions and replication factor.
	 * @param partitions the partitions
	 * @param replicationFactor the replication factor
	 * @return the settings
	 */
	public KafkaAdapterSettings withTopics(int partitions, short replicationFactor) {
		return new KafkaAdapterSettings(this.producerProperties, this.consumerProperties, this.adminProperties,
				this.createTopics, partitions, replicationFactor, this.pollTimeout, this.closeTimeout,
				this.operationTimeout, this.healthTimeout, this.deadLetterMarkerTopic);
	}

	/**
	 * A copy with these timeouts.
	 * @param pollTimeout the poll timeout
	 * @param closeTimeout the close timeout
	 * @param operationTimeout the operation timeout
	 * @return the settings
	 */
	public KafkaAdapterSettings withTimeouts(Duration pollTimeout, Duration closeTimeout, Duration operationTimeout) {
		return new KafkaAdapterSettings(this.producerProperties, this.consumerProperties, this.adminProperties,
				this.createTopics, this.partitions, this.replicationFactor, pollTimeout, closeTimeout, operationTimeout,
				this.healthTimeout, this.deadLetterMarkerTopic);
	}

	/**
	 * A copy with one consumer configuration added or replaced.
	 * @param name the configuration name
	 * @param value the value
	 * @return the settings
	 */
	public KafkaAdapterSettings withConsumerProperty(String name, Object value) {
		Map<String, Object> consumer = new LinkedHashMap<>(this.consumerProperties);
		consumer.put(name, value);
		return new KafkaAdapterSettings(this.producerProperties, consumer, this.adminProperties, this.createTopics,
				this.partitions, this.replicationFactor, this.pollTimeout, this.closeTimeout, this.operationTimeout,
				this.healthTimeout, this.deadLetterMarkerTopic);
	}

	/**
	 * A copy with one producer configuration added or replaced.
	 * @param name the configuration name
	 * @param value the value
	 * @return the settings
	 */
	public KafkaAdapterSettings withProducerProperty(String name, Object value) {
		Map<String, Object> producer = new LinkedHashMap<>(this.producerProperties);
		producer.put(name, value);
		return new KafkaAdapterSettings(producer, this.consumerProperties, this.adminProperties, this.createTopics,
				this.partitions, this.replicationFactor, this.pollTimeout, this.closeTimeout, this.operationTimeout,
				this.healthTimeout, this.deadLetterMarkerTopic);
	}

	@Override
	public String toString() {
		return "KafkaAdapterSettings[bootstrapServers="
				+ this.producerProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + ", createTopics="
				+ this.createTopics + ", partitions=" + this.partitions + ", replicationFactor=" + this.replicationFactor
				+ "]";
	}

}
