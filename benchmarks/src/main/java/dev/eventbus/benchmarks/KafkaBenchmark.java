package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.kafka.KafkaAdapterSettings;
import dev.eventbus.kafka.KafkaEventBusAdapter;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka adapter end to end against two raw kafka-clients baselines and two Spring peers,
 * on one {@link EmbeddedKafkaKraftBroker} in this JVM: {@code raw-kafka} (a 200-byte
 * value, no headers), {@code raw-kafka-cloudevents} (the bus's CloudEvents binary-mode
 * headers, Jackson on both sides: {@link CloudEventsRecordFormat}, the raw floor of the
 * bus's record format), {@code spring-kafka} ({@link SpringKafkaTarget}) and
 * {@code spring-cloud-stream} ({@link SpringCloudStreamTarget}). Same {@code acks},
 * idempotence, {@code batch.size} and {@code linger.ms}, same consumer settings, topics
 * of the same partition count, same consumer concurrency.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eventbus.benchmarks.KafkaBenchmark}
 * (sizes: see {@link Options}; {@code -Dbench.lingerMs}, {@code -Dbench.batchSize}).
 */
public final class KafkaBenchmark {

	static final int PARTITIONS = 4;

	/** Prefix of the bus's Kafka client ids. */
	static final String BUS_CLIENT_ID = "bench-bus";

	/** Prefix of the baseline's Kafka client ids. */
	static final String RAW_CLIENT_ID = "raw-bench";

	/** Prefix of the CloudEvents baseline's Kafka client ids. */
	static final String CLOUDEVENTS_CLIENT_ID = "ce-raw-bench";

	private KafkaBenchmark() {
	}

	/**
	 * Start the broker, compare, print the table.
	 * @param args ignored
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		Options options = Options.of(50_000, 1_000, 1_000, 2);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS, "bench-bus", "bench-raw",
				"bench-raw-ce", SpringKafkaTarget.TOPIC, SpringCloudStreamTarget.TOPIC);
		broker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "4",
				"auto.create.topics.enable", "false"));
		broker.afterPropertiesSet();
		try {
			run(broker.getBrokersAsString(), options);
		}
		finally {
			broker.destroy();
		}
		System.exit(0);
	}

	/**
	 * Where a thread's CPU goes in the per-event breakdown: the publishing thread, the
	 * producers' I/O threads, the consumer threads of the listener containers (the bus's
	 * and the Spring peers') or of the raw baselines, and the broker (every other
	 * thread).
	 */
	private static String threadCategory(String thread) {
		if (thread.equals("main")) {
			return "publish";
		}
		if (thread.startsWith("kafka-producer-network-thread")) {
			return "producer-io";
		}
		if (thread.contains("-C-") || thread.contains("-consumer-")) {
			return "consume";
		}
		return "broker";
	}

	private static void run(String bootstrap, Options options) throws InterruptedException {
		Map<String, Object> producer = new LinkedHashMap<>();
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		producer.put(ProducerConfig.LINGER_MS_CONFIG, Integer.getInteger("bench.lingerMs", 5));
		producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.getInteger("bench.batchSize", 16_384));
		Map<String, Object> consumer = new LinkedHashMap<>();
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		producer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		consumer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		Map<String, Object> busProducer = new LinkedHashMap<>(producer);
		busProducer.put(ProducerConfig.CLIENT_ID_CONFIG, BUS_CLIENT_ID);
		Map<String, Object> busConsumer = new LinkedHashMap<>(consumer);
		busConsumer.put(ConsumerConfig.CLIENT_ID_CONFIG, BUS_CLIENT_ID);
		KafkaEventBusAdapter adapter = KafkaEventBusAdapter.create(busProducer, busConsumer, Duration.ofSeconds(1),
				KafkaAdapterSettings.DEFAULTS.withTopics(PARTITIONS, (short) 1));
		Recorder recorder = new Recorder();
		Comparison comparison = new Comparison("Kafka: bus vs raw kafka-clients", options, recorder)
			.configured("EmbeddedKafkaKraftBroker (1 broker, in this JVM), topics of " + PARTITIONS + " partitions")
			.configured("producer (all): " + producer)
			.configured("consumer (all): " + consumer + ", poll timeout 1s, commit after each poll (raw: commitSync; "
					+ "bus: spring-kafka AckMode.MANUAL)")
			.configured("bus: KafkaEventBusAdapter, CloudEvents binary mode, key = subject; raw-kafka: same key, "
					+ Payloads.SIZE + "-byte value, no headers; raw-kafka-cloudevents: same key, the bus's ce_* and "
					+ "content-type headers, value = Sample as JSON (Jackson), read back into a Sample")
			.configured("spring-kafka: Boot's KafkaAutoConfiguration, KafkaTemplate.send with JacksonJsonSerializer, "
					+ "@KafkaListener record listener, AckMode.MANUAL, concurrency " + options.concurrency())
			.configured("spring-cloud-stream: Kafka binder, StreamBridge.send (JSON), functional Consumer<Sample> in a "
					+ "group, default ack mode (commit after each poll), concurrency " + options.concurrency())
			.cpuByThread(KafkaBenchmark::threadCategory);
		Map<String, Object> peerProducer = new LinkedHashMap<>(producer);
		peerProducer.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		Map<String, Object> peerConsumer = new LinkedHashMap<>(consumer);
		peerConsumer.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		try (Target bus = new BusTarget(adapter, "bench-bus", options.concurrency(), recorder, () -> -1);
				Target raw = new RawKafkaTarget("raw-kafka", RawKafkaTarget.PLAIN, RAW_CLIENT_ID, producer, consumer,
						"bench-raw", options.concurrency(), recorder);
				Target cloudEvents = new RawKafkaTarget("raw-kafka-cloudevents", new CloudEventsRecordFormat(),
						CLOUDEVENTS_CLIENT_ID, producer, consumer, "bench-raw-ce", options.concurrency(), recorder);
				Target springKafka = new SpringKafkaTarget(bootstrap, peerProducer, peerConsumer, options.concurrency(),
						PARTITIONS, recorder);
				Target cloudStream = new SpringCloudStreamTarget(bootstrap, peerProducer, peerConsumer,
						options.concurrency(), PARTITIONS, recorder)) {
			comparison.run(bus, List.of(raw, cloudEvents, springKafka, cloudStream));
			KafkaClientStatistics.print();
		}
	}

}
