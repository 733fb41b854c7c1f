package dev.eventbus.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Adapter on Redis Streams with consumer groups: persistent and at-least-once.
 * <p>
 * <b>Sending.</b> {@link #send} appends the CloudEvents structured JSON to the stream
 * {@code <keyPrefix><destination>} with XADD (see {@link StreamEntryLayout} for the fields), trimmed to
 * about {@link RedisStreamSettings#maxLength()} entries when set. The future completes with the entry
 * id once Redis replied, or exceptionally: while Redis is unreachable, after the connection's command
 * timeout ({@code spring.data.redis.timeout}) at the latest.
 * <p>
 * <b>Receiving.</b> Each subscription is a consumer {@code <consumerName>:<subscription name>} of the
 * group {@code spec.group()}, created with XGROUP CREATE ... MKSTREAM at the
 * {@link RedisStreamSettings#newGroupStart() configured start}. It reads ahead up to
 * {@code max(batchSize, spec.concurrency())} entries, runs at most {@code spec.concurrency()}
 * deliveries at once, acknowledges (XACK, asynchronously, several entries per command under load)
 * only when a delivery is acknowledged, and leaves retried entries pending, claiming them again
 * once their delay has passed; {@link dev.eventbus.spi.Delivery#attempt()} is Redis' delivery
 * count. After a restart a consumer first reads its own pending entries; entries of a consumer
 * that stopped refreshing them for {@link RedisStreamSettings#claimIdleTime()} are claimed by the
 * others. Members of a group
 * compete, so events of one subject may be handled concurrently and out of order: the adapter does
 * not order per key.
 * <p>
 * <b>Dead letters</b> are ordinary streams ({@code orders.dlq}), browsed with XRANGE and removed
 * with XDEL through {@link #deadLetterStore()}.
 * <p>
 * Thread safe. The connection factory belongs to the caller and is not closed by {@link #close()}.
 */
public final class RedisEventBusAdapter implements EventBusAdapter {

	/** The adapter name, as in {@code eventbus.adapter=redis}. */
	public static final String NAME = "redis";

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(true, true, false, true,
			ContentMode.STRUCTURED);

	private static final Duration CLOSE_FLUSH_TIMEOUT = Duration.ofSeconds(30);

	private final RedisConnectionFactory connectionFactory;

	private final RedisStreamSettings settings;

	private final StringRedisTemplate template;

	private final AsyncCommandsConnection asyncConnection;

	private final StreamAppender appender;

	private final StreamDeadLetterStore deadLetterStore;

	private final ExecutorService handlers;

	private final BlockingReadConnections readConnections;

	private final List<StreamSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter.
	 * @param connectionFactory the Redis connections, typically Spring Boot's Lettuce factory
	 * @param settings the settings
	 */
	public RedisEventBusAdapter(RedisConnectionFactory connectionFactory, RedisStreamSettings settings) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.template = new StringRedisTemplate(connectionFactory);
		this.asyncConnection = new AsyncCommandsConnection(connectionFactory);
		this.appender = new StreamAppender(this.asyncConnection, this.template, settings);
		this.deadLetterStore = new StreamDeadLetterStore(this.template, settings.keyPrefix());
		this.handlers = Executors.newCachedThreadPool(threads("eventbus-redis-handler-"));
		this.readConnections = BlockingReadConnections.of(connectionFactory);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Persistent, consumer groups, redelivers unsettled entries, not ordered per key, structured
	 * content mode.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return CAPABILITIES;
	}

	public RedisStreamSettings settings() {
		return this.settings;
	}

	/**
	 * The connection factory the adapter uses and does not own.
	 * @return the connection factory
	 */
	public RedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new PublishException("Redis adapter closed: message '"
					+ message.id() + "' to '" + message.destination() + "' was not sent"));
		}
		return this.appender.append(message);
	}

	/**
	 * Join the spec's consumer group as consumer {@code <consumerName>:<spec.name()>}. The
	 * subscription is {@link dev.eventbus.spi.SubscriptionState#STARTING starting} until the group
	 * exists and its read connection is open.
	 * @param spec what to receive
	 * @param listener called on the adapter's handler threads
	 * @return the subscription
	 * @throws IllegalStateException if the adapter is closed
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(listener, "listener");
		if (this.closed.get()) {
			throw new IllegalStateException("Redis adapter closed: cannot subscribe '" + spec.name() + "'");
		}
		StreamGroupCommands commands = new StreamGroupCommands(this.template, this.asyncConnection,
				this.settings.keyPrefix() + spec.destination(), spec.group(),
				this.settings.consumerName() + ":" + spec.name());
		StreamSubscription subscription = new StreamSubscription(spec, listener, commands, this.settings,
				this.readConnections.factory(), this.handlers);
		this.subscriptions.add(subscription);
		subscription.start();
		return subscription;
	}

	/**
	 * PING within the health timeout.
	 * @return up with the PING reply, or down with the error
	 */
	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("mode", "streams");
		details.put("consumerName", this.settings.consumerName());
		details.put("subscriptions", this.subscriptions.size());
		return RedisPing.check(this.template, this.handlers, this.settings.healthTimeout(), details);
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Kill every subscription as a crashing process would: nothing drained, acknowledged or handed
	 * back. For tests of crash recovery.
	 */
	void halt() {
		this.subscriptions.forEach(StreamSubscription::halt);
		close();
	}

	/**
	 * Close the subscriptions still open without draining (acknowledgements already sent are
	 * answered first), wait up to 30 seconds for sends still waiting for Redis, and stop the handler
	 * threads. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.subscriptions.forEach((subscription) -> subscription.close(Duration.ZERO));
		this.appender.flush(CLOSE_FLUSH_TIMEOUT);
		this.handlers.shutdown();
		try {
			this.handlers.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.readConnections.close();
		this.asyncConnection.close();
	}

	static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	@Override
	public String toString() {
		return "RedisEventBusAdapter[consumerName=" + this.settings.consumerName() + ", subscriptions="
				+ this.subscriptions.size() + ", closed=" + this.closed.get() + "]";
	}

}
