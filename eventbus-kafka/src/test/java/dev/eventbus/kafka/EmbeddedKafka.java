package dev.eventbus.kafka;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node KRaft broker in the test JVM, with settings that keep tests fast: short
 * session, heartbeat and poll timeouts, no initial rebalance delay, topics of
 * {@value #PARTITIONS} partitions.
 * <p>
 * Public, and shipped in this module's test jar, so that other modules' tests (the sample
 * application's) start their Kafka the same way. One per test class.
 */
public final class EmbeddedKafka implements AutoCloseable {

	/** Partitions of the topics the broker and the tests create. */
	public static final int PARTITIONS = 4;

	private final EmbeddedKafkaKraftBroker broker;

	private EmbeddedKafka(EmbeddedKafkaKraftBroker broker) {
		this.broker = broker;
	}

	/**
	 * Start a broker, returning once it accepts connections.
	 * @return the running broker
	 */
	public static EmbeddedKafka start() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
		broker.brokerProperties(brokerProperties());
		broker.afterPropertiesSet();
		return new EmbeddedKafka(broker);
	}

	static Map<String, String> brokerProperties() {
		return Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "4",
				"group.min.session.timeout.ms", "1000", "auto.create.topics.enable", "false");
	}

	/**
	 * The broker's address, for {@code bootstrap.servers}.
	 * @return {@code host:port}
	 */
	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	/**
	 * Settings of the adapters in tests: topics of {@value #PARTITIONS} partitions, 10 s
	 * timeouts.
	 */
	static final KafkaAdapterSettings SETTINGS = KafkaAdapterSettings.DEFAULTS.withTopics(PARTITIONS, (short) 1)
		.withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));

	KafkaEventBusAdapter adapter() {
		return adapter(bootstrapServers());
	}

	static KafkaEventBusAdapter adapter(String bootstrapServers) {
		return adapter(bootstrapServers, SETTINGS);
	}

	static KafkaEventBusAdapter adapter(String bootstrapServers, KafkaAdapterSettings settings) {
		return KafkaEventBusAdapter.create(producerConfigs(bootstrapServers), consumerConfigs(bootstrapServers),
				Duration.ofMillis(200), settings);
	}

	static Map<String, Object> producerConfigs(String bootstrapServers) {
		return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 1);
	}

	static Map<String, Object> consumerConfigs(String bootstrapServers) {
		return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
				ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 8000, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
	}

	/**
	 * Start a bus on an adapter with handler beans, returning once its subscriptions run.
	 * @param adapter the adapter
	 * @param group the default group
	 * @param topic the default destination
	 * @param handlers the handler bean
	 * @param wait the longest wait for the subscriptions
	 * @return the running bus, for the caller to close
	 */
	static EventBus startBus(KafkaEventBusAdapter adapter, String group, String topic, Object handlers, Duration wait) {
		EventBus bus = EventBus.builder()
			.adapter(adapter)
			.defaultGroup(group)
			.defaultDestination(topic)
			.shutdownTimeout(Duration.ofSeconds(5))
			.build();
		bus.registerHandlers("handlers", handlers);
		bus.start();
		Awaits.await(wait,
				() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				"subscriptions of the bus did not start");
		return bus;
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

}
