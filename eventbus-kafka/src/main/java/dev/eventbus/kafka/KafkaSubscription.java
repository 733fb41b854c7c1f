package dev.eventbus.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A subscription backed by one {@link ConcurrentMessageListenerContainer} made by the
 * adapter's container factory, whose container properties apply except those the bus
 * depends on: consumer group {@link SubscriptionSpec#group()}, one consumer thread per
 * partition up to the spec's concurrency, manual acknowledgment (offsets committed only
 * for acknowledged records), and a container that stops right after the record in hand. A
 * batch subscription's container gets a batch listener, and its consumers poll at most a
 * batch of records at once. It is {@link SubscriptionState#RUNNING running} once every
 * consumer of the container joined the group and got its first assignment (new groups
 * also start from the earliest offset), and {@link SubscriptionState#RECONNECTING
 * reconnecting} while the adapter has lost the broker. Thread safe.
 */
final class KafkaSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(KafkaSubscription.class);

	private static final Duration PAUSED_POLL = Duration.ofMillis(50);

	static final long LAG_REFRESH_MS = 500;

	/**
	 * Bytes a fetch of a batch subscription waits for, up to the batch's maximum wait.
	 */
	static final int BATCH_FETCH_BYTES = 1024 * 1024;

	/**
	 * The record listener never throws; should the container still see an error, the
	 * record is retried every second rather than skipped, so nothing is committed
	 * unhandled.
	 */
	private static final FixedBackOff NEVER_SKIP = new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS);

	private final SubscriptionSpec spec;

	private final KafkaTopics topics;

	private final BrokerConnectionMonitor monitor;

	private final Duration closeTimeout;

	private final int consumers;

	private final KafkaRecordListener recordListener;

	private final ConcurrentMessageListenerContainer<String, byte[]> container;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final AtomicBoolean lagRefreshing = new AtomicBoolean();

	private volatile long lagRefreshedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(LAG_REFRESH_MS);

	private volatile @Nullable Long lag;

	KafkaSubscription(SubscriptionSpec spec, DeliveryListener listener,
			ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory, int consumers,
			KafkaAdapterSettings settings, KafkaTopics topics, BrokerConnectionMonitor monitor) {
		this.spec = spec;
		this.topics = topics;
		this.monitor = monitor;
		this.closeTimeout = settings.closeTimeout();
		this.consumers = consumers;
		this.recordListener = new KafkaRecordListener(spec, listener, consumers,
				() -> this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING));
		this.container = containerFactory.createContainer(spec.destination());
		ContainerProperties properties = this.container.getContainerProperties();
		Map<String, Object> consumerConfigs = containerFactory.getConsumerFactory().getConfigurationProperties();
		properties.setGroupId(spec.group());
		Object clientId = consumerConfigs.get(ConsumerConfig.CLIENT_ID_CONFIG);
		properties.setClientId((clientId != null) ? clientId + "-" + spec.name() : spec.name());
		properties.setKafkaConsumerProperties(consumerOverrides(consumerConfigs, spec.batch()));
		properties.setAckMode(AckMode.MANUAL);
		properties.setAsyncAcks(false);
		properties.setObservationEnabled(false);
		properties
			.setMessageListener((spec.batch() != null) ? this.recordListener.batchListener() : this.recordListener);
		properties.setConsumerRebalanceListener(this.recordListener);
		Duration pollTimeout = Duration.ofMillis(properties.getPollTimeout());
		properties.setPollTimeoutWhilePaused((pollTimeout.compareTo(PAUSED_POLL) < 0) ? pollTimeout : PAUSED_POLL);
		properties.setShutdownTimeout(settings.closeTimeout().toMillis());
		properties.setStopImmediate(true);
		properties.setMissingTopicsFatal(false);
		this.container.setConcurrency(consumers);
		this.container.setBeanName("eventbus-" + spec.name());
		this.container.setCommonErrorHandler(new DefaultErrorHandler(NEVER_SKIP));
	}

	/**
	 * What every consumer of the bus needs whatever the consumer factory says: its
	 * deserializers, no auto commit, and a new group reading from the earliest offset
	 * unless configured otherwise. A batch subscription's poll is its batch: at most the
	 * batch size of records, and the broker holds a fetch until
	 * {@value #BATCH_FETCH_BYTES} bytes arrived or the batch's maximum wait passed.
	 */
	private static Properties consumerOverrides(Map<String, Object> consumerConfigs, @Nullable BatchSpec batch) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		if (!consumerConfigs.containsKey(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)) {
			overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		}
		if (batch != null) {
			overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(batch.maxSize()));
			overrides.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(batch.maxWait().toMillis()));
			overrides.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(BATCH_FETCH_BYTES));
		}
		return overrides;
	}

	void start() {
		this.container.start();
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	@Override
	public SubscriptionState state() {
		SubscriptionState current = this.state.get();
		if (current == SubscriptionState.RUNNING) {
			if (!this.container.isRunning() || !allChildrenRunning()) {
				return SubscriptionState.FAILED;
			}
			if (this.monitor.lost()) {
				return SubscriptionState.RECONNECTING;
			}
		}
		return current;
	}

	private boolean allChildrenRunning() {
		return this.container.getContainers().stream().allMatch((child) -> child.isRunning());
	}

	/**
	 * Consumers in the container, their group, and {@code lag}: records of the
	 * destination the group has not committed yet. The lag is refreshed in the background
	 * at most every {@value #LAG_REFRESH_MS} ms, so this never waits for the broker; it
	 * is absent until first known and while the broker does not answer.
	 * @return the details
	 */
	@Override
	public Map<String, Object> details() {
		refreshLag();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("group", this.spec.group());
		details.put("consumers", this.consumers);
		details.put("lag", this.lag);
		return details;
	}

	private void refreshLag() {
		long now = System.nanoTime();
		if (now - this.lagRefreshedAt < TimeUnit.MILLISECONDS.toNanos(LAG_REFRESH_MS)
				|| !this.lagRefreshing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.topics.lag(this.spec.group(), this.spec.destination()).whenComplete((lag, failure) -> {
				this.lag = lag;
				this.lagRefreshedAt = System.nanoTime();
				this.lagRefreshing.set(false);
			});
		}
		catch (RuntimeException ex) {
			this.lag = null;
			this.lagRefreshedAt = now;
			this.lagRefreshing.set(false);
		}
	}

	/**
	 * Stop polling, let in-flight deliveries finish for up to the drain timeout and
	 * commit the acknowledged ones. Deliveries still unsettled then are abandoned, their
	 * listener threads interrupted, and their records left uncommitted for the group's
	 * other members.
	 * @param drainTimeout the longest wait for in-flight deliveries
	 */
	@Override
	public void close(Duration drainTimeout) {
		SubscriptionState previous = this.state
			.getAndUpdate((current) -> (current == SubscriptionState.STOPPING || current == SubscriptionState.STOPPED)
					? current : SubscriptionState.STOPPING);
		if (previous == SubscriptionState.STOPPING || previous == SubscriptionState.STOPPED) {
			return;
		}
		this.recordListener.closing();
		CountDownLatch stopped = new CountDownLatch(1);
		try {
			this.container.stop(stopped::countDown);
			if (!this.recordListener.awaitIdle(drainTimeout)) {
				int abandoned = this.recordListener.abandonInFlight();
				logger.warn("Subscription '" + this.spec.name() + "' closed with " + abandoned
						+ " unsettled deliveries after " + drainTimeout + "; they stay uncommitted for redelivery");
			}
			if (!stopped.await(this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Listener container of subscription '" + this.spec.name() + "' did not stop within "
						+ this.closeTimeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Failed to stop the listener container of subscription '" + this.spec.name() + "'", ex);
		}
		finally {
			this.state.set(SubscriptionState.STOPPED);
		}
	}

	@Override
	public String toString() {
		return "KafkaSubscription[name=" + this.spec.name() + ", destination=" + this.spec.destination() + ", group="
				+ this.spec.group() + ", consumers=" + this.consumers + ", state=" + this.state.get() + "]";
	}

}
