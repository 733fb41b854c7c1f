package dev.eventbus.redis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Adapter on Redis Streams with consumer groups: persistent and at-least-once.
 * <p>
 * <b>Sending.</b> {@link #send} appends the CloudEvents structured JSON to the stream
 * {@code <keyPrefix><destination>} with XADD (see {@link StreamEntryLayout} for the
 * fields), trimmed to about {@link RedisStreamSettings#maxLength()} entries when set. The
 * future completes with the entry id once Redis replied, or exceptionally: while Redis is
 * unreachable, after the connection's command timeout ({@code spring.data.redis.timeout})
 * at the latest.
 * <p>
 * <b>Receiving.</b> Each subscription is a consumer
 * {@code <consumerName>:<subscription name>} of the group {@code spec.group()}, created
 * with XGROUP CREATE ... MKSTREAM at the {@link RedisStreamSettings#newGroupStart()
 * configured start}. It reads ahead up to {@code max(batchSize, spec.capacity())}
 * entries, runs at most {@code spec.concurrency()} deliveries (or batches) at once,
 * acknowledges (XACK, asynchronously, several entries per command under load) only when a
 * delivery is acknowledged, and leaves retried entries pending, claiming them again once
 * their delay has passed; {@link dev.eventbus.spi.Delivery#attempt()} is Redis' delivery
 * count. After a restart a consumer first reads its own pending entries; entries of a
 * consumer that stopped refreshing them for {@link RedisStreamSettings#claimIdleTime()}
 * are claimed by the others. Members of a group compete, so events of one subject may be
 * handled concurrently and out of order: the adapter does not order per key.
 * <p>
 * <b>Batches.</b> For a spec with a {@link SubscriptionSpec#batch() batch} the read loop
 * collects up to {@code maxSize} entries, reading until the batch is full or
 * {@code maxWait} has passed since its first entry was read, and a handler thread gives
 * the whole batch to {@link DeliveryListener#onBatch}; each of its deliveries is then
 * acknowledged or retried on its own, exactly as a single delivery (see
 * {@link StreamReader}).
 * <p>
 * <b>Dead letters</b> are ordinary streams ({@code orders.dlq}), browsed with XRANGE and
 * removed with XDEL through {@link #deadLetterStore()}.
 * <p>
 * Thread safe. The connection factory belongs to the caller and is not closed by
 * {@link #close()}.
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

	private final StreamAppender appender;

	private final StreamDeadLetterStore deadLetterStore;

	private final ExecutorService handlers;

	/**
	 * The factory of the blocking reads: the connection factory, or an unpooled copy of
	 * it.
	 */
	private final RedisConnectionFactory readConnections;

	private final List<StreamSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter.
	 * @param connectionFactory the Redis connections, typically Spring Boot's Lettuce
	 * factory
	 * @param settings the settings
	 */
	public RedisEventBusAdapter(RedisConnectionFactory connectionFactory, RedisStreamSettings settings) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.template = new StringRedisTemplate(connectionFactory);
		this.appender = new StreamAppender(connectionFactory, settings);
		this.deadLetterStore = new StreamDeadLetterStore(this.template, settings.keyPrefix());
		this.handlers = Executors.newCachedThreadPool(threads("eventbus-redis-handler-"));
		this.readConnections = readConnections(connectionFactory);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Persistent, consumer groups, redelivers unsettled entries, not ordered per key,
	 * structured content mode.
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
			return CompletableFuture.failedFuture(new PublishException("Redis adapter closed: message '" + message.id()
					+ "' to '" + message.destination() + "' was not sent"));
		}
		return this.appender.append(message);
	}

	/**
	 * Join the spec's consumer group as consumer {@code <consumerName>:<spec.name()>}.
	 * The subscription is {@link dev.eventbus.spi.SubscriptionState#STARTING starting}
	 * until the group exists and its read connection is open.
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
		StreamGroupCommands commands = new StreamGroupCommands(this.template, this.appender::asyncCommands,
				this.settings.keyPrefix() + spec.destination(), spec.group(),
				this.settings.consumerName() + ":" + spec.name());
		StreamSubscription subscription = new StreamSubscription(spec, listener, commands, this.settings,
				this.readConnections, this.handlers);
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
		return ping(this.template, this.handlers, this.settings.healthTimeout(), details);
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Kill every subscription as a crashing process would: nothing drained, acknowledged
	 * or handed back. For tests of crash recovery.
	 */
	void halt() {
		this.subscriptions.forEach(StreamSubscription::halt);
		close();
	}

	/**
	 * Close the subscriptions still open without draining (acknowledgements already sent
	 * are answered first), wait up to 30 seconds for sends still waiting for Redis, and
	 * stop the handler threads. Idempotent.
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
		if (this.readConnections != this.connectionFactory) {
			((LettuceConnectionFactory) this.readConnections).destroy();
		}
		this.appender.close();
	}

	/**
	 * A PING on the executor bounded by the timeout, so that a health check returns
	 * quickly while Redis is unreachable (the connection itself would wait for its
	 * command timeout).
	 * @return up with the reply and its time, or down with the error; with the details
	 * given
	 */
	static AdapterHealth ping(StringRedisTemplate template, Executor executor, Duration timeout,
			Map<String, Object> details) {
		Map<String, Object> all = new LinkedHashMap<>(details);
		long start = System.nanoTime();
		try {
			String reply = CompletableFuture
				.supplyAsync(() -> template.execute((RedisCallback<String>) (connection) -> connection.ping()),
						executor)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			all.put("ping", String.valueOf(reply));
			all.put("pingMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			return AdapterHealth.up(all);
		}
		catch (ExecutionException ex) {
			return AdapterHealth.down("PING failed: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(),
					all);
		}
		catch (TimeoutException ex) {
			return AdapterHealth.down("PING got no reply within " + timeout.toMillis() + "ms", all);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return AdapterHealth.down("interrupted while waiting for PING", all);
		}
		catch (RuntimeException ex) {
			return AdapterHealth.down("PING could not be sent: " + ex.getMessage(), all);
		}
	}

	/**
	 * The factory of the blocking XREADGROUP connections, which each subscription holds
	 * while it runs. Borrowed from the application's pool (Spring Boot pools as soon as
	 * commons-pool2 is on the class path), they would make the subscriptions beyond the
	 * pool's size wait forever; so a pooled Lettuce factory is copied, with the same
	 * server, credentials, SSL, timeouts and client resources, without the pool, and the
	 * copy started.
	 */
	/**
	 * Where a connection factory connects, for messages: {@code host:port}, the sentinel
	 * master or the cluster nodes of a Lettuce factory.
	 * @param factory the factory
	 * @return the address, or the factory's class for another kind of factory
	 */
	static String address(RedisConnectionFactory factory) {
		if (factory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.getClusterConfiguration() != null) {
				return "cluster " + lettuce.getClusterConfiguration().getClusterNodes();
			}
			if (lettuce.getSentinelConfiguration() != null) {
				return "sentinel master '" + lettuce.getSentinelConfiguration().getMaster() + "'";
			}
			return lettuce.getHostName() + ":" + lettuce.getPort();
		}
		return factory.getClass().getSimpleName();
	}

	private static RedisConnectionFactory readConnections(RedisConnectionFactory factory) {
		if (!(factory instanceof LettuceConnectionFactory pooled)
				|| !(pooled.getClientConfiguration() instanceof LettucePoolingClientConfiguration configuration)) {
			return factory;
		}
		LettuceClientConfiguration withoutPool = (LettuceClientConfiguration) Proxy.newProxyInstance(
				RedisEventBusAdapter.class.getClassLoader(), new Class<?>[] { LettuceClientConfiguration.class },
				(proxy, method, args) -> {
					try {
						return method.invoke(configuration, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
		LettuceConnectionFactory unpooled = pooled.isClusterAware()
				? new LettuceConnectionFactory(pooled.getClusterConfiguration(), withoutPool)
				: pooled.isRedisSentinelAware()
						? new LettuceConnectionFactory(pooled.getSentinelConfiguration(), withoutPool)
						: new LettuceConnectionFactory(pooled.getStandaloneConfiguration(), withoutPool);
		unpooled.afterPropertiesSet();
		unpooled.start();
		return unpooled;
	}

	static ThreadFactory threads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	@Override
	public String toString() {
		return "RedisEventBusAdapter[consumerName=" + this.settings.consumerName() + ", subscriptions="
				+ this.subscriptions.size() + ", closed=" + this.closed.get() + "]";
	}

}
