package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Adapter over Apache Kafka with spring-kafka: at least once, ordered per key, consumer groups.
 * <p>
 * <b>Sending.</b> Through a {@link KafkaTemplate} on an idempotent producer with {@code acks=all}:
 * the record key is the message key (the event subject), headers and value are the CloudEvents
 * Kafka binary mode ({@code ce_*} headers, {@code content-type}, value = the data as JSON). The
 * future completes once the broker acknowledged the record, with position {@code partition@offset}.
 * A destination is created on first use when {@link KafkaAdapterSettings#createTopics()}.
 * <p>
 * <b>Receiving.</b> Each subscription is a {@link KafkaSubscription}: a listener container of
 * {@code min(concurrency, partitions)} consumers in group {@link SubscriptionSpec#group()}, each
 * handing its records to the listener one at a time, in offset order, and committing offsets only
 * for acknowledged records. A retried record is sought back and the consumer paused, still polling,
 * for the delay: it keeps its place and blocks its partition, never the poll loop. New groups read
 * from the earliest offset unless {@code auto.offset.reset} is configured.
 * <p>
 * <b>Dead letters</b> are ordinary topics browsed by a {@link KafkaDeadLetterStore}.
 * <p>
 * Thread safe. The Kafka clients reconnect by themselves after a broker outage; sends in the
 * meantime are retried by the producer up to its {@code delivery.timeout.ms}. While subscriptions
 * run, the broker is probed every 5 seconds, so the loss of the broker and its recovery are logged
 * once each and subscriptions report {@link SubscriptionState#RECONNECTING} in between.
 */
public final class KafkaEventBusAdapter implements EventBusAdapter {

	/** The adapter name, as in {@code eventbus.adapter=kafka}. */
	public static final String NAME = "kafka";

	private static final Duration PROBE_PERIOD = Duration.ofSeconds(5);

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(true, true, true, true,
			ContentMode.BINARY);

	private final KafkaAdapterSettings settings;

	private final Map<String, Object> producerConfigs;

	private final Map<String, Object> consumerConfigs;

	private final DefaultKafkaProducerFactory<String, byte[]> producerFactory;

	private final KafkaTemplate<String, byte[]> template;

	private final DefaultKafkaConsumerFactory<String, byte[]> consumerFactory;

	private final KafkaTopics topics;

	private final BrokerConnectionMonitor monitor;

	private final KafkaDeadLetterStore deadLetterStore;

	private final Set<KafkaSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter. No connection is made until the first send or subscription.
	 * @param settings the settings
	 */
	public KafkaEventBusAdapter(KafkaAdapterSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.producerConfigs = producerConfigs(settings.producerProperties());
		this.consumerConfigs = consumerConfigs(settings.consumerProperties());
		this.producerFactory = new DefaultKafkaProducerFactory<>(this.producerConfigs, new StringSerializer(),
				new ByteArraySerializer());
		this.producerFactory.setPhysicalCloseTimeout((int) Math.max(1, settings.closeTimeout().toSeconds()));
		this.template = new KafkaTemplate<>(this.producerFactory);
		this.consumerFactory = new DefaultKafkaConsumerFactory<>(this.consumerConfigs, new StringDeserializer(),
				new ByteArrayDeserializer());
		this.topics = new KafkaTopics(settings);
		this.monitor = new BrokerConnectionMonitor(
				String.valueOf(this.producerConfigs.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)));
		this.deadLetterStore = new KafkaDeadLetterStore(settings, this.topics, this.template);
	}

	private static Map<String, Object> producerConfigs(Map<String, Object> properties) {
		Map<String, Object> configs = new LinkedHashMap<>(properties);
		configs.put(ProducerConfig.ACKS_CONFIG, "all");
		configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		configs.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
		configs.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
		return Map.copyOf(configs);
	}

	private static Map<String, Object> consumerConfigs(Map<String, Object> properties) {
		Map<String, Object> configs = new LinkedHashMap<>(properties);
		configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		configs.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		configs.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		configs.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		return Map.copyOf(configs);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Persistent, consumer groups, ordered per key, redelivers unsettled deliveries; binary content
	 * mode.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return CAPABILITIES;
	}

	public KafkaAdapterSettings settings() {
		return this.settings;
	}

	/**
	 * The producer configuration in use: the settings' with {@code acks=all} and idempotence forced.
	 * @return the configuration, without the serializers
	 */
	public Map<String, Object> producerConfigs() {
		return this.producerConfigs;
	}

	/**
	 * The consumer configuration in use: the settings' with auto commit off and, unless configured,
	 * {@code auto.offset.reset=earliest}; each subscription adds its group id and client id.
	 * @return the configuration, without the deserializers
	 */
	public Map<String, Object> consumerConfigs() {
		return this.consumerConfigs;
	}

	/**
	 * Send a message as a binary-mode record keyed by the message key. The first send to a
	 * destination waits, up to the operation timeout, for its topic to be created.
	 * @param message the message
	 * @return a future completed when the broker acknowledged the record, or exceptionally with a
	 * {@link PublishException}
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new PublishException(
					"Kafka adapter closed: message '" + message.id() + "' to '" + message.destination() + "' was not sent"));
		}
		try {
			this.topics.ensure(message.destination());
			EncodedMessage encoded = message.encoded(ContentMode.BINARY);
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(message.destination(), null, message.key(),
					encoded.body(), headers(encoded.headers()));
			CompletableFuture<SendResult> result = new CompletableFuture<>();
			this.template.execute((producer) -> producer.send(record, (metadata, failure) -> {
				if (failure != null) {
					this.monitor.failed(failure);
					result.completeExceptionally(failed(message, failure));
				}
				else {
					this.monitor.reached();
					result.complete(new SendResult(KafkaDelivery.position(metadata.partition(), metadata.offset())));
				}
			}));
			return result;
		}
		catch (RuntimeException ex) {
			this.monitor.failed(ex);
			return CompletableFuture.failedFuture(failed(message, ex));
		}
	}

	private static PublishException failed(OutboundMessage message, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return new PublishException("Kafka did not accept message '" + message.id() + "' to '" + message.destination()
				+ "': " + cause.getMessage(), cause);
	}

	private static List<Header> headers(Map<String, String> headers) {
		List<Header> result = new ArrayList<>(headers.size());
		headers.forEach((name, value) -> result.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
		return result;
	}

	/**
	 * Start a listener container for the spec, creating the destination if needed.
	 * @param spec what to receive
	 * @param listener called on the container's consumer threads
	 * @return the subscription, {@link SubscriptionState#STARTING starting} until its consumers joined
	 * the group
	 * @throws IllegalStateException if the adapter is closed or the destination cannot be created
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(listener, "listener");
		if (this.closed.get()) {
			throw new IllegalStateException("Kafka adapter closed: cannot subscribe '" + spec.name() + "'");
		}
		int partitions = this.topics.ensure(spec.destination());
		this.subscriptions.removeIf((open) -> open.state() == SubscriptionState.STOPPED);
		KafkaSubscription subscription = new KafkaSubscription(spec, listener, this.consumerFactory,
				Math.min(spec.concurrency(), partitions), this.settings, this.topics, this.monitor);
		this.subscriptions.add(subscription);
		this.monitor.startProbing(this.topics::describeCluster, PROBE_PERIOD);
		subscription.start();
		return subscription;
	}

	/**
	 * Up when the cluster answers a describe-cluster request within the health timeout and no
	 * subscription failed; details hold the cluster id, node count and each subscription's state.
	 * @return the health
	 */
	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		Map<String, Object> states = new LinkedHashMap<>();
		boolean failed = false;
		for (KafkaSubscription subscription : this.subscriptions) {
			SubscriptionState state = subscription.state();
			if (state == SubscriptionState.STOPPED) {
				this.subscriptions.remove(subscription);
				continue;
			}
			states.put(subscription.spec().name(), state.name());
			failed |= state == SubscriptionState.FAILED;
		}
		details.put("subscriptions", states);
		if (this.closed.get()) {
			return AdapterHealth.down("adapter closed", details);
		}
		try {
			details.putAll(this.topics.describeCluster());
			this.monitor.reached();
		}
		catch (RuntimeException ex) {
			this.monitor.failed(ex);
			return AdapterHealth.down(String.valueOf(ex.getMessage()), details);
		}
		return failed ? AdapterHealth.down("a listener container stopped", details) : AdapterHealth.up(details);
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Close the subscriptions still open without draining, then flush and close the producer (up
	 * to the close timeout) and the admin client. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (KafkaSubscription subscription : this.subscriptions) {
			subscription.close(Duration.ZERO);
		}
		this.subscriptions.clear();
		this.monitor.close();
		try {
			this.template.flush();
		}
		finally {
			this.producerFactory.destroy();
			this.topics.close();
		}
	}

	@Override
	public String toString() {
		return "KafkaEventBusAdapter[" + this.settings + ", subscriptions=" + this.subscriptions.size() + ", closed="
				+ this.closed.get() + "]";
	}

}
