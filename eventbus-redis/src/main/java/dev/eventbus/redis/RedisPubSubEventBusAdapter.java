package dev.eventbus.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.listener.Topic;

/**
 * Adapter on Redis pub/sub, for fire-and-forget broadcast: <b>at-most-once</b>. An event
 * is PUBLISHed as CloudEvents structured JSON on the channel
 * {@code <keyPrefix><destination>} and reaches every subscription connected at that
 * moment, in every instance: consumer groups are ignored, so instances do not compete.
 * Nothing is stored: a subscriber that is disconnected, restarting or slower than Redis'
 * output buffer limit loses messages, and a retried delivery is redelivered only within
 * this instance. A destination containing {@code *}, {@code ?} or {@code [} is a pattern
 * subscription (PSUBSCRIBE).
 * <p>
 * Raw messages, which carry transport headers pub/sub cannot (dead letters and replays),
 * are appended to the stream of their destination instead, so dead letters are kept and
 * can be browsed through {@link #deadLetterStore()} as in streams mode.
 * <p>
 * Receiving uses spring-data-redis' {@link RedisMessageListenerContainer}, which
 * resubscribes after Redis comes back. Received messages are handed to subscriptions by
 * one dispatch thread, which waits while a subscription has {@code concurrency}
 * deliveries in flight, or for a batch handler's subscription the larger of
 * {@code concurrency} and its batch size (so a slow handler also delays the other pub/sub
 * subscriptions of the instance); a batch handler's subscription collects the messages
 * into batches of up to its maximum size, each handed over when full or its maximum wait
 * after its first message (see {@link PubSubSubscription}); beyond
 * {@value #DISPATCH_QUEUE_CAPACITY} messages waiting for it, messages are dropped, logged
 * and counted ({@code dropped} in the health details). Of the {@link RedisStreamSettings}
 * only {@code keyPrefix}, {@code maxLength} (of dead-letter streams) and
 * {@code healthTimeout} apply. Thread safe; the connection factory belongs to the caller.
 */
public final class RedisPubSubEventBusAdapter implements EventBusAdapter {

	private static final Log logger = LogFactory.getLog(RedisPubSubEventBusAdapter.class);

	/**
	 * Messages received and not yet handed to a subscription, beyond which messages are
	 * dropped.
	 */
	static final int DISPATCH_QUEUE_CAPACITY = 10_000;

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(false, false, false, false,
			ContentMode.STRUCTURED);

	private final RedisStreamSettings settings;

	private final StringRedisTemplate template;

	private final StreamAppender appender;

	private final StreamDeadLetterStore deadLetterStore;

	private final RedisMessageListenerContainer container;

	private final ExecutorService handlers;

	private final ScheduledExecutorService timers;

	private final ThreadPoolExecutor dispatch;

	private final AtomicLong dropped = new AtomicLong();

	private final List<PubSubSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter and start its listener container.
	 * @param connectionFactory the Redis connections, typically Spring Boot's Lettuce
	 * factory
	 * @param settings the settings
	 */
	public RedisPubSubEventBusAdapter(RedisConnectionFactory connectionFactory, RedisStreamSettings settings) {
		Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.template = new StringRedisTemplate(connectionFactory);
		this.appender = new StreamAppender(connectionFactory, settings);
		this.deadLetterStore = new StreamDeadLetterStore(this.template, settings.keyPrefix());
		this.handlers = Executors.newCachedThreadPool(RedisEventBusAdapter.threads("eventbus-redis-pubsub-"));
		this.timers = Executors.newSingleThreadScheduledExecutor(RedisEventBusAdapter.threads("eventbus-redis-retry-"));
		this.dispatch = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(DISPATCH_QUEUE_CAPACITY),
				RedisEventBusAdapter.threads("eventbus-redis-pubsub-dispatch-"), this::drop);
		this.container = new RedisMessageListenerContainer();
		this.container.setConnectionFactory(connectionFactory);
		this.container.setTaskExecutor(this.dispatch);
		this.container.setBeanName("eventbus-redis-pubsub");
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@Override
	public String name() {
		return RedisEventBusAdapter.NAME;
	}

	/**
	 * Not persistent, no consumer groups, no ordering, no redelivery after a crash;
	 * structured content mode.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return CAPABILITIES;
	}

	/**
	 * PUBLISH an event; append a raw message to a stream.
	 * @param message the message
	 * @return a future completed once Redis replied, with the entry id for a raw message
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new PublishException("Redis pub/sub adapter closed: message '"
					+ message.id() + "' to '" + message.destination() + "' was not sent"));
		}
		if (message.event() == null) {
			return this.appender.append(message);
		}
		byte[] channel = StreamEntryLayout.bytes(this.settings.keyPrefix() + message.destination());
		byte[] body = message.encoded(ContentMode.STRUCTURED).body();
		try {
			this.template.execute((RedisCallback<Long>) (connection) -> connection.publish(channel, body));
			return CompletableFuture.completedFuture(SendResult.none());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(new PublishException("PUBLISH of message '" + message.id() + "' to '"
					+ message.destination() + "' failed: " + ex.getMessage(), ex));
		}
	}

	/**
	 * Subscribe to the spec's channel (or pattern); the group is ignored.
	 * @param spec what to receive
	 * @param listener called on the adapter's handler threads
	 * @return the subscription, starting until Redis confirmed it
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(listener, "listener");
		if (this.closed.get()) {
			throw new IllegalStateException("Redis pub/sub adapter closed: cannot subscribe '" + spec.name() + "'");
		}
		String channel = this.settings.keyPrefix() + spec.destination();
		Topic topic = (channel.indexOf('*') >= 0 || channel.indexOf('?') >= 0 || channel.indexOf('[') >= 0)
				? new PatternTopic(channel) : new ChannelTopic(channel);
		PubSubSubscription[] holder = new PubSubSubscription[1];
		PubSubSubscription subscription = new PubSubSubscription(spec, listener, this.handlers, this.timers,
				() -> this.container.removeMessageListener(holder[0], topic));
		holder[0] = subscription;
		this.subscriptions.add(subscription);
		this.container.addMessageListener(subscription, topic);
		return subscription;
	}

	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("mode", "pubsub");
		details.put("subscriptions", this.subscriptions.size());
		details.put("listening", this.container.isListening());
		details.put("dropped", this.dropped.get());
		return RedisEventBusAdapter.ping(this.template, this.handlers, this.settings.healthTimeout(), details);
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Close the subscriptions still open, stop the listener container, wait for raw sends
	 * still waiting for Redis and stop the threads. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.subscriptions.forEach((subscription) -> subscription.close(Duration.ZERO));
		try {
			this.container.destroy();
		}
		catch (Exception ex) {
			logger.warn("Failed to stop the Redis listener container", ex);
		}
		this.appender.flush(Duration.ofSeconds(30));
		this.dispatch.shutdownNow();
		this.timers.shutdownNow();
		this.handlers.shutdown();
		try {
			this.handlers.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.appender.close();
	}

	private void drop(Runnable message, ThreadPoolExecutor executor) {
		long count = this.dropped.incrementAndGet();
		if (count == 1 || count % 1_000 == 0) {
			logger.warn("Pub/sub handlers fall behind: " + DISPATCH_QUEUE_CAPACITY + " messages wait, so " + count
					+ " message(s) were dropped so far (at-most-once)");
		}
	}

	@Override
	public String toString() {
		return "RedisPubSubEventBusAdapter[subscriptions=" + this.subscriptions.size() + ", closed=" + this.closed.get()
				+ "]";
	}

}
