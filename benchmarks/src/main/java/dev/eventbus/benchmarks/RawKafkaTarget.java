package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka baseline: a plain {@link KafkaProducer} with the bus's producer settings and
 * {@code concurrency} plain {@link KafkaConsumer} threads in one group, each polling,
 * recording every record and committing synchronously after each non-empty poll (what the
 * bus's manual acknowledgement commits). Record key = the same subject as the bus's;
 * headers and value as its {@link RecordFormat} writes them: {@link #PLAIN} is
 * {@value Payloads#SIZE} bytes and no headers, {@link CloudEventsRecordFormat} what a
 * hand-written CloudEvents binary-mode service writes.
 */
final class RawKafkaTarget implements Target {

	/**
	 * {@code raw-kafka}: the value is {@value Payloads#SIZE} bytes that start with the
	 * send time, no headers.
	 */
	static final RecordFormat PLAIN = new RecordFormat() {

		@Override
		public ProducerRecord<String, byte[]> record(String topic, int sequence, long sentNanos) {
			return new ProducerRecord<>(topic, Payloads.key(sequence), Payloads.rawBytes(sequence, sentNanos));
		}

		@Override
		public long sentNanos(ConsumerRecord<String, byte[]> record) {
			return Payloads.sentNanos(record.value());
		}

	};

	private final String name;

	private final RecordFormat format;

	private final KafkaProducer<String, byte[]> producer;

	private final List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private final String topic;

	/**
	 * Start the consumers and wait until each has its partitions.
	 * @param name name in the table
	 * @param format what the records carry
	 * @param clientId prefix of the client ids, also the consumer group
	 * @param producerConfigs producer configuration
	 * @param consumerConfigs consumer configuration
	 * @param topic the topic
	 * @param concurrency consumer threads
	 * @param recorder records every arrival
	 * @throws InterruptedException if interrupted while waiting for the assignments
	 */
	RawKafkaTarget(String name, RecordFormat format, String clientId, Map<String, Object> producerConfigs,
			Map<String, Object> consumerConfigs, String topic, int concurrency, Recorder recorder)
			throws InterruptedException {
		this.name = name;
		this.format = format;
		this.topic = topic;
		Map<String, Object> producerWithId = new HashMap<>(producerConfigs);
		producerWithId.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		this.producer = new KafkaProducer<>(producerWithId, new StringSerializer(), new ByteArraySerializer());
		CountDownLatch assigned = new CountDownLatch(concurrency);
		for (int i = 0; i < concurrency; i++) {
			Map<String, Object> configs = new HashMap<>(consumerConfigs);
			configs.put(ConsumerConfig.GROUP_ID_CONFIG, clientId);
			configs.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + i);
			KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
					new ByteArrayDeserializer());
			this.consumers.add(consumer);
			Thread thread = new Thread(() -> consume(consumer, recorder, assigned), name + "-consumer-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		if (!assigned.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("raw consumers not assigned");
		}
	}

	private void consume(KafkaConsumer<String, byte[]> consumer, Recorder recorder, CountDownLatch assigned) {
		consumer.subscribe(List.of(this.topic));
		boolean first = true;
		try {
			while (true) {
				ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
				if (first && !consumer.assignment().isEmpty()) {
					assigned.countDown();
					first = false;
				}
				if (records.isEmpty()) {
					continue;
				}
				for (ConsumerRecord<String, byte[]> record : records) {
					recorder.record(this.format.sentNanos(record));
				}
				consumer.commitSync();
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			consumer.close(Duration.ofSeconds(5));
		}
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		CompletableFuture<Object> future = new CompletableFuture<>();
		this.producer.send(this.format.record(this.topic, sequence, sentNanos), (metadata, ex) -> {
			if (ex != null) {
				future.completeExceptionally(ex);
			}
			else {
				future.complete(metadata);
			}
		});
		return future;
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(5));
		this.consumers.forEach(KafkaConsumer::wakeup);
		for (Thread thread : this.threads) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * How a baseline writes an event into a record and reads it back.
	 */
	interface RecordFormat {

		/**
		 * The record of one event.
		 * @param topic the topic
		 * @param sequence its number within the phase, which picks the key
		 * @param sentNanos the send time it carries
		 * @return the record
		 */
		ProducerRecord<String, byte[]> record(String topic, int sequence, long sentNanos);

		/**
		 * Read a record as the consumer of this format must.
		 * @param record the record
		 * @return the send time it carries
		 */
		long sentNanos(ConsumerRecord<String, byte[]> record);

	}

}
