package dev.eventbus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * Admin operations of the adapter: topics created on first use and their partition counts
 * cached, cluster description for health, consumer lag, record deletion. The admin client
 * is created on first use. Every call waits at most the operation timeout. Thread safe.
 */
final class KafkaTopics implements AutoCloseable {

	private static final Duration METADATA_BACKOFF = Duration.ofMillis(50);

	private final Map<String, Object> adminProperties;

	private final KafkaAdapterSettings settings;

	private final ConcurrentMap<String, Integer> partitions = new ConcurrentHashMap<>();

	private @Nullable Admin admin;

	private boolean closed;

	KafkaTopics(Map<String, Object> adminProperties, KafkaAdapterSettings settings) {
		this.settings = settings;
		this.adminProperties = Map.copyOf(adminProperties);
	}

	/**
	 * Make sure a topic exists, creating it when the settings say so.
	 * @param topic the topic
	 * @return its partition count
	 * @throws IllegalStateException if it does not exist and cannot be created in time
	 */
	int ensure(String topic) {
		Integer known = this.partitions.get(topic);
		return (known != null) ? known : this.partitions.computeIfAbsent(topic, (name) -> createOrDescribe(name, null));
	}

	/**
	 * Make sure a compacted topic exists.
	 * @param topic the topic
	 * @param config its topic configuration
	 * @return its partition count
	 */
	int ensure(String topic, Map<String, String> config) {
		Integer known = this.partitions.get(topic);
		return (known != null) ? known
				: this.partitions.computeIfAbsent(topic, (name) -> createOrDescribe(name, config));
	}

	/**
	 * Whether a topic exists on the broker.
	 * @param topic the topic
	 * @return whether it exists
	 */
	boolean exists(String topic) {
		if (this.partitions.containsKey(topic)) {
			return true;
		}
		return describe(topic) != null;
	}

	private int createOrDescribe(String topic, @Nullable Map<String, String> config) {
		if (this.settings.createTopics()) {
			NewTopic newTopic = new NewTopic(topic, this.settings.partitions(), this.settings.replicationFactor());
			if (config != null) {
				newTopic.configs(config);
			}
			try {
				await(admin().createTopics(List.of(newTopic)).all(), "create topic '" + topic + "'");
			}
			catch (IllegalStateException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
		}
		long deadline = System.nanoTime() + this.settings.operationTimeout().toNanos();
		TopicDescription description = describe(topic);
		while (description == null && System.nanoTime() < deadline) {
			LockSupport.parkNanos(METADATA_BACKOFF.toNanos());
			description = describe(topic);
		}
		if (description == null) {
			throw new IllegalStateException("Topic '" + topic + "' does not exist"
					+ (this.settings.createTopics() ? "" : " and eventbus.kafka.create-topics is false"));
		}
		return description.partitions().size();
	}

	private @Nullable TopicDescription describe(String topic) {
		try {
			return await(admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic '" + topic + "'")
				.get(topic);
		}
		catch (IllegalStateException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * Describe the cluster, waiting at most the health timeout.
	 * @return the cluster id and number of brokers
	 * @throws IllegalStateException if the cluster does not answer in time
	 */
	Map<String, Object> describeCluster() {
		Duration timeout = this.settings.healthTimeout();
		DescribeClusterResult cluster = admin().describeCluster(
				new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())));
		Map<String, Object> details = new HashMap<>();
		details.put("clusterId", String.valueOf(await(cluster.clusterId(), "describe cluster", timeout)));
		details.put("nodes", await(cluster.nodes(), "describe cluster", timeout).size());
		return details;
	}

	/**
	 * Messages of a topic not yet committed by a consumer group, over all partitions;
	 * partitions without a committed offset count from their earliest offset. Never
	 * blocks.
	 * @param group the consumer group
	 * @param topic the topic, already {@link #ensure ensured}
	 * @return the lag, completed within the operation timeout
	 */
	CompletableFuture<Long> lag(String group, String topic) {
		Admin client = admin();
		int count = ensure(topic);
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
		for (int i = 0; i < count; i++) {
			latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
			earliest.put(new TopicPartition(topic, i), OffsetSpec.earliest());
		}
		CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committed = future(
				client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
		CompletableFuture<Map<TopicPartition, ListOffsetsResultInfo>> ends = future(client.listOffsets(latest).all());
		CompletableFuture<Map<TopicPartition, ListOffsetsResultInfo>> starts = future(
				client.listOffsets(earliest).all());
		return CompletableFuture.allOf(committed, ends, starts).thenApply((done) -> {
			long lag = 0;
			for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.join().entrySet()) {
				OffsetAndMetadata offset = committed.join().get(end.getKey());
				long from = (offset != null) ? offset.offset() : starts.join().get(end.getKey()).offset();
				lag += Math.max(0, end.getValue().offset() - from);
			}
			return lag;
		}).orTimeout(this.settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	private static <T> CompletableFuture<T> future(KafkaFuture<T> future) {
		return future.toCompletionStage().toCompletableFuture();
	}

	/**
	 * Delete the records of partitions before offsets.
	 * @param before the first offset to keep per partition
	 */
	void deleteRecordsBefore(Map<TopicPartition, Long> before) {
		Map<TopicPartition, RecordsToDelete> records = new HashMap<>();
		before.forEach((partition, offset) -> records.put(partition, RecordsToDelete.beforeOffset(offset)));
		await(admin().deleteRecords(records).all(), "delete records of " + before.keySet());
	}

	private <T> T await(KafkaFuture<T> future, String what) {
		return await(future, what, this.settings.operationTimeout());
	}

	private <T> T await(KafkaFuture<T> future, String what, Duration timeout) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not " + what + " on " + broker() + ": " + ex.getCause().getMessage(),
					ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new IllegalStateException(
					"Could not " + what + " within " + timeout + ": " + broker() + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + what, ex);
		}
	}

	/**
	 * The broker as configured, for messages.
	 */
	private String broker() {
		return "Kafka at " + this.adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
				+ " (spring.kafka.bootstrap-servers)";
	}

	private synchronized Admin admin() {
		if (this.closed) {
			throw new IllegalStateException("Kafka adapter closed");
		}
		Admin current = this.admin;
		if (current == null) {
			current = Admin.create(this.adminProperties);
			this.admin = current;
		}
		return current;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		Admin current = this.admin;
		this.admin = null;
		if (current != null) {
			current.close(Duration.ofSeconds(1));
		}
	}

}
