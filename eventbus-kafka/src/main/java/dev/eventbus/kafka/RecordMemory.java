package dev.eventbus.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a subscription's listener remembers of the records of its partitions, in memory:
 * the attempts so far of the records given back, and the records of a batch acknowledged
 * after one given back, to be skipped when polled again. A partition the member no longer
 * reads is forgotten: whoever reads it next starts afresh. Thread safe.
 */
final class RecordMemory {

	private final ConcurrentMap<TopicPartition, Map<Long, Integer>> attempts = new ConcurrentHashMap<>();

	private final ConcurrentMap<TopicPartition, Set<Long>> acknowledgedAhead = new ConcurrentHashMap<>();

	/**
	 * The attempt of a record's delivery: 1, or one more than when it was given back.
	 * @param record the record
	 * @return the attempt
	 */
	int attempt(ConsumerRecord<?, ?> record) {
		if (this.attempts.isEmpty()) {
			return 1;
		}
		Map<Long, Integer> retried = this.attempts.get(partition(record));
		Integer attempts = (retried != null) ? retried.get(record.offset()) : null;
		return (attempts != null) ? (int) Math.min(Integer.MAX_VALUE, attempts + 1L) : 1;
	}

	/**
	 * A record was given back after an attempt.
	 * @param record the record
	 * @param attempt its attempt
	 */
	void givenBack(ConsumerRecord<?, ?> record, int attempt) {
		this.attempts.computeIfAbsent(partition(record), (key) -> new ConcurrentHashMap<>())
			.put(record.offset(), attempt);
	}

	/**
	 * A record was acknowledged: its attempts are forgotten.
	 * @param record the record
	 * @param ahead whether a record before it in its batch was given back, so that it is
	 * polled again and must be skipped
	 */
	void acknowledged(ConsumerRecord<?, ?> record, boolean ahead) {
		if (!this.attempts.isEmpty()) {
			this.attempts.computeIfPresent(partition(record), (key, offsets) -> {
				offsets.remove(record.offset());
				return offsets.isEmpty() ? null : offsets;
			});
		}
		if (ahead) {
			this.acknowledgedAhead.computeIfAbsent(partition(record), (key) -> ConcurrentHashMap.newKeySet())
				.add(record.offset());
		}
		else if (!this.acknowledgedAhead.isEmpty()) {
			this.acknowledgedAhead.computeIfPresent(partition(record), (key, offsets) -> {
				offsets.remove(record.offset());
				return offsets.isEmpty() ? null : offsets;
			});
		}
	}

	/**
	 * Whether a record polled again was acknowledged before, ahead of one given back.
	 * @param record the record
	 * @return whether to skip it
	 */
	boolean acknowledgedAhead(ConsumerRecord<?, ?> record) {
		if (this.acknowledgedAhead.isEmpty()) {
			return false;
		}
		Set<Long> offsets = this.acknowledgedAhead.get(partition(record));
		return offsets != null && offsets.contains(record.offset());
	}

	/**
	 * Forget the partitions this member no longer reads.
	 * @param partitions the partitions
	 */
	void forget(Collection<TopicPartition> partitions) {
		partitions.forEach((partition) -> {
			this.attempts.remove(partition);
			this.acknowledgedAhead.remove(partition);
		});
	}

	private static TopicPartition partition(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

}
