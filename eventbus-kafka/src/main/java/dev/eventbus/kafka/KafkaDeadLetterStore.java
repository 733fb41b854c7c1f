package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Dead letters on Kafka. Browsing reads a dead-letter topic from its beginning with a
 * short-lived consumer that joins no group and commits nothing. Kafka cannot delete one
 * record, so {@link #remove} writes a marker, keyed {@code <topic>/<partition>@<offset>},
 * to a compacted marker topic, and browsing skips marked records. {@link #purge} deletes
 * every record of the dead-letter topic up to its end offsets ({@code deleteRecords}) and
 * clears its markers. Message ids are {@code partition@offset}. Thread safe.
 */
final class KafkaDeadLetterStore implements DeadLetterStore {

	private static final byte[] REMOVED = "removed".getBytes(StandardCharsets.UTF_8);

	private final KafkaAdapterSettings settings;

	private final KafkaTopics topics;

	private final KafkaTemplate<String, byte[]> template;

	private final Map<String, Object> consumerProperties;

	KafkaDeadLetterStore(KafkaAdapterSettings settings, KafkaTopics topics, KafkaTemplate<String, byte[]> template,
			Map<String, Object> consumerProperties) {
		this.settings = settings;
		this.topics = topics;
		this.template = template;
		this.consumerProperties = Map.copyOf(consumerProperties);
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		if (limit <= 0 || !this.topics.exists(deadLetterDestination)) {
			return List.of();
		}
		Set<String> removed = markers(deadLetterDestination);
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		read(deadLetterDestination, (record, kept) -> {
			if (removed.contains(KafkaDelivery.position(record.partition(), record.offset()))) {
				return false;
			}
			records.add(record);
			return true;
		}, limit);
		records.sort(Comparator.comparingLong(ConsumerRecord<String, byte[]>::timestamp)
			.thenComparingInt(ConsumerRecord::partition)
			.thenComparingLong(ConsumerRecord::offset));
		List<StoredMessage> messages = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records.subList(0, Math.min(limit, records.size()))) {
			byte[] value = record.value();
			messages.add(new StoredMessage(KafkaDelivery.position(record.partition(), record.offset()), record.key(),
					KafkaDelivery.headers(record), (value != null) ? value : new byte[0]));
		}
		return messages;
	}

	/**
	 * Mark a dead letter removed, if its offset is still retained and it was not removed
	 * before.
	 * @param deadLetterDestination the dead-letter topic
	 * @param messageId {@code partition@offset}
	 * @return whether it was there
	 */
	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		TopicPartition partition = partition(deadLetterDestination, messageId);
		if (partition == null || !this.topics.exists(deadLetterDestination)) {
			return false;
		}
		long offset = Long.parseLong(messageId.substring(messageId.indexOf('@') + 1));
		try (KafkaConsumer<String, byte[]> consumer = consumer()) {
			List<TopicPartition> partitions = List.of(partition);
			long start = consumer.beginningOffsets(partitions, timeout()).getOrDefault(partition, Long.MAX_VALUE);
			long end = consumer.endOffsets(partitions, timeout()).getOrDefault(partition, 0L);
			if (offset < start || offset >= end) {
				return false;
			}
		}
		if (markers(deadLetterDestination).contains(messageId)) {
			return false;
		}
		mark(deadLetterDestination + "/" + messageId, REMOVED);
		return true;
	}

	private static @Nullable TopicPartition partition(String topic, String messageId) {
		int at = messageId.indexOf('@');
		if (at < 1 || !messageId.substring(0, at).chars().allMatch(Character::isDigit) || at == messageId.length() - 1
				|| !messageId.substring(at + 1).chars().allMatch(Character::isDigit)) {
			return null;
		}
		return new TopicPartition(topic, Integer.parseInt(messageId.substring(0, at)));
	}

	@Override
	public int purge(String deadLetterDestination) {
		if (!this.topics.exists(deadLetterDestination)) {
			return 0;
		}
		int count = browse(deadLetterDestination, Integer.MAX_VALUE).size();
		Map<TopicPartition, Long> ends = new HashMap<>();
		try (KafkaConsumer<String, byte[]> consumer = consumer()) {
			ends.putAll(consumer.endOffsets(partitions(consumer, deadLetterDestination), timeout()));
		}
		this.topics.deleteRecordsBefore(ends);
		for (String position : markers(deadLetterDestination)) {
			mark(deadLetterDestination + "/" + position, null);
		}
		return count;
	}

	private void mark(String key, byte @Nullable [] value) {
		String topic = this.settings.deadLetterMarkerTopic();
		this.topics.ensure(topic, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
		try {
			this.template.send(new ProducerRecord<>(topic, key, value))
				.get(this.settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Could not write dead-letter marker '" + key + "' to '" + topic + "'", ex);
		}
	}

	private Set<String> markers(String deadLetterDestination) {
		String topic = this.settings.deadLetterMarkerTopic();
		Set<String> positions = new HashSet<>();
		if (!this.topics.exists(topic)) {
			return positions;
		}
		String prefix = deadLetterDestination + "/";
		read(topic, (record, kept) -> {
			String key = record.key();
			if (key != null && key.startsWith(prefix)) {
				if (record.value() != null) {
					positions.add(key.substring(prefix.length()));
				}
				else {
					positions.remove(key.substring(prefix.length()));
				}
			}
			return false;
		}, Integer.MAX_VALUE);
		return positions;
	}

	/**
	 * Read a topic from the beginning to the end offsets it had when the read started.
	 * @param topic the topic
	 * @param sink takes each record and the number kept so far from its partition;
	 * returns whether it kept the record
	 * @param limitPerPartition stop reading a partition once this many of its records
	 * were kept
	 */
	private void read(String topic, BiPredicate<ConsumerRecord<String, byte[]>, Integer> sink, int limitPerPartition) {
		try (KafkaConsumer<String, byte[]> consumer = consumer()) {
			List<TopicPartition> partitions = partitions(consumer, topic);
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions, timeout()));
			Map<TopicPartition, Integer> kept = new HashMap<>();
			long deadline = System.nanoTime() + timeout().toNanos();
			while (!done(consumer, ends) && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					int count = kept.getOrDefault(partition, 0);
					if (record.offset() < ends.get(partition) && count < limitPerPartition
							&& sink.test(record, count)) {
						kept.put(partition, count + 1);
					}
					if (kept.getOrDefault(partition, 0) >= limitPerPartition) {
						ends.put(partition, 0L);
					}
				}
			}
		}
	}

	private static boolean done(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey()) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

	private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (PartitionInfo info : consumer.partitionsFor(topic, timeout())) {
			partitions.add(new TopicPartition(topic, info.partition()));
		}
		return partitions;
	}

	private KafkaConsumer<String, byte[]> consumer() {
		Map<String, Object> properties = new LinkedHashMap<>(this.consumerProperties);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		properties.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG,
				"eventbus-dead-letters-" + UUID.randomUUID().toString().substring(0, 8));
		return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
	}

	private Duration timeout() {
		return this.settings.operationTimeout();
	}

}
