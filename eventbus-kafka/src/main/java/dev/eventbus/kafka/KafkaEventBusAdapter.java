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
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Adapter over Apache Kafka on spring-kafka's own parts: at least once, ordered per key,
 * consumer groups.
 * <p>
 * <b>Sending.</b> Through a {@link KafkaTemplate} whose producer must be idempotent with
 * {@code acks=all} ({@link #PRODUCER_OVERRIDES}): the record key is the message key (the
 * event subject), headers and value are the CloudEvents Kafka binary mode ({@code ce_*}
 * headers, {@code content-type}, value = the data as JSON) and the W3C
 * {@code traceparent} header. The future completes once the broker acknowledged the
 * record, with position {@code partition@offset}. A destination is created on first use
 * when {@link KafkaAdapterSettings#createTopics()}.
 * <p>
 * <b>Receiving.</b> Each subscription is a {@link KafkaSubscription}: a container made by
 * the given {@link ConcurrentKafkaListenerContainerFactory} (so its container properties,
 * customizers and consumer factory apply), with {@code min(concurrency, partitions)}
 * consumers in group {@link SubscriptionSpec#group()}, manual acknowledgment, and the
 * bus's own listener. The factory's {@code group.id} is never used. A retried record is
 * sought back and the consumer paused, still polling, for the delay: it keeps its place
 * and blocks its partition, never the poll loop. New groups read from the earliest offset
 * unless {@code auto.offset.reset} is configured.
 * <p>
 * <b>Dead letters</b> are ordinary topics browsed by a {@link KafkaDeadLetterStore}.
 * <p>
 * Thread safe. The Kafka clients reconnect by themselves after a broker outage; sends in
 * the meantime are retried by the producer up to its {@code delivery.timeout.ms}. While
 * subscriptions run, the broker is probed every 5 seconds, so the loss of the broker and
 * its recovery are logged once each and subscriptions report
 * {@link SubscriptionState#RECONNECTING} in between.
 */
public final class KafkaEventBusAdapter implements EventBusAdapter {

	/** The adapter name, as in {@code eventbus.adapter=kafka}. */
	public static final String NAME = "kafka";

	/**
	 * Producer configuration the bus's guarantees depend on: {@code acks=all},
	 * idempotence, and the serializers of its records ({@code String} keys,
	 * {@code byte[]} values).
	 */
	public static final Map<String, Object> PRODUCER_OVERRIDES = Map.of(ProducerConfig.ACKS_CONFIG, "all",
			ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
			StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

	private static final Duration PROBE_PERIOD = Duration.ofSeconds(5);

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(true, true, true, true,
			ContentMode.BINARY);

	private final KafkaAdapterSettings settings;

	private final KafkaTemplate<String, byte[]> template;

	private final ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory;

	private final KafkaTopics topics;

	private final BrokerConnectionMonitor monitor;

	private final KafkaDeadLetterStore deadLetterStore;

	private final Set<KafkaSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter on spring-kafka's parts, as the auto-configuration does with
	 * Spring Boot's. No connection is made until the first send or subscription.
	 * @param template sends records; its producer factory must apply
	 * {@link #PRODUCER_OVERRIDES} (e.g. through
	 * {@code DefaultKafkaProducerFactory.copyWithConfigurationOverride})
	 * @param containerFactory makes the listener containers; each container reads keys as
	 * {@code String} and values as {@code byte[]} whatever deserializers its consumer
	 * factory names
	 * @param adminProperties configuration of the admin client (topics, lag, health)
	 * @param settings what the bus adds
	 */
	public KafkaEventBusAdapter(KafkaTemplate<String, byte[]> template,
			ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory,
			Map<String, Object> adminProperties, KafkaAdapterSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.template = Objects.requireNonNull(template, "template");
		this.containerFactory = Objects.requireNonNull(containerFactory, "containerFactory");
		this.topics = new KafkaTopics(adminProperties, settings);
		this.monitor = new BrokerConnectionMonitor(
				String.valueOf(adminProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)));
		this.deadLetterStore = new KafkaDeadLetterStore(settings, this.topics, template,
				containerFactory.getConsumerFactory().getConfigurationProperties());
	}

	/**
	 * Create an adapter on clients of its own, for use without Spring Boot: a producer
	 * with {@link #PRODUCER_OVERRIDES}, consumers polling at most {@code pollTimeout},
	 * and an admin client with the producer configuration's admin settings.
	 * @param producerConfigs producer configuration (bootstrap servers, security, tuning)
	 * @param consumerConfigs consumer configuration; {@code group.id} is set per
	 * subscription
	 * @param pollTimeout longest a poll waits for records
	 * @param settings what the bus adds
	 * @return the adapter, which closes its producer when closed
	 */
	public static KafkaEventBusAdapter create(Map<String, Object> producerConfigs, Map<String, Object> consumerConfigs,
			Duration pollTimeout, KafkaAdapterSettings settings) {
		Map<String, Object> producer = new LinkedHashMap<>(producerConfigs);
		producer.putAll(PRODUCER_OVERRIDES);
		KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer));
		ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory = new ConcurrentKafkaListenerContainerFactory<>();
		containerFactory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumerConfigs));
		containerFactory.getContainerProperties().setPollTimeout(pollTimeout.toMillis());
		Map<String, Object> admin = new LinkedHashMap<>(producerConfigs);
		admin.keySet().retainAll(AdminClientConfig.configNames());
		return new KafkaEventBusAdapter(template, containerFactory, admin, settings);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Persistent, consumer groups, ordered per key, redelivers unsettled deliveries;
	 * binary content mode.
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
	 * The template the adapter sends with.
	 * @return the template
	 */
	public KafkaTemplate<String, byte[]> template() {
		return this.template;
	}

	/**
	 * The factory of the adapter's listener containers.
	 * @return the factory
	 */
	public ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory() {
		return this.containerFactory;
	}

	/**
	 * Send a message as a binary-mode record keyed by the message key. The first send to
	 * a destination waits, up to the operation timeout, for its topic to be created.
	 * @param message the message
	 * @return a future completed when the broker acknowledged the record, or
	 * exceptionally with a {@link PublishException}
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new PublishException("Kafka adapter closed: message '" + message.id()
					+ "' to '" + message.destination() + "' was not sent"));
		}
		try {
			this.topics.ensure(message.destination());
			EncodedMessage encoded = message.encoded(ContentMode.BINARY);
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(message.destination(), null, message.key(),
					encoded.body(), headers(encoded.headers()));
			CompletableFuture<SendResult> result = new CompletableFuture<>();
			this.template.send(record).whenComplete((sent, failure) -> {
				if (failure != null) {
					this.monitor.failed(failure);
					result.completeExceptionally(failed(message, failure));
				}
				else {
					this.monitor.reached();
					RecordMetadata metadata = sent.getRecordMetadata();
					result.complete(new SendResult(KafkaDelivery.position(metadata.partition(), metadata.offset())));
				}
			});
			return result;
		}
		catch (RuntimeException ex) {
			this.monitor.failed(ex);
			return CompletableFuture.failedFuture(failed(message, ex));
		}
	}

	private static PublishException failed(OutboundMessage message, Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof KafkaException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
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
	 * @return the subscription, {@link SubscriptionState#STARTING starting} until its
	 * consumers joined the group
	 * @throws IllegalStateException if the adapter is closed or the destination cannot be
	 * created
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
		KafkaSubscription subscription = new KafkaSubscription(spec, listener, this.containerFactory,
				Math.min(spec.concurrency(), partitions), this.settings, this.topics, this.monitor);
		this.subscriptions.add(subscription);
		this.monitor.startProbing(this.topics::describeCluster, PROBE_PERIOD);
		subscription.start();
		return subscription;
	}

	/**
	 * Up when the cluster answers a describe-cluster request within the health timeout
	 * and no subscription failed; details hold the cluster id, node count and each
	 * subscription's state.
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
	 * Close the subscriptions still open without draining, flush the template, reset its
	 * producer factory (closing its producers) and close the admin client. Idempotent.
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
			this.template.getProducerFactory().reset();
			this.topics.close();
		}
	}

	@Override
	public String toString() {
		return "KafkaEventBusAdapter[" + this.settings + ", subscriptions=" + this.subscriptions.size() + ", closed="
				+ this.closed.get() + "]";
	}

}
