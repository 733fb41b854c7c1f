package dev.eventbus.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The read loop thread of a {@link StreamSubscription}. It creates the group (XGROUP CREATE ...
 * MKSTREAM) and opens the connection for blocking reads, then, while it runs: refreshes the held
 * entries every third of the claim idle time, refreshes the group's figures every claim interval,
 * and reads (see {@link StreamReader}) no more entries than there are free slots (entries the
 * subscription may still hold: read ahead, in a handler or being acknowledged) and no more than the
 * batch size at once, handing them to the dispatcher. It survives Redis errors: it logs the loss
 * once and the state becomes {@link SubscriptionState#RECONNECTING}; it retries with a backoff of up
 * to 5 seconds, recreating the group if the server lost it, then logs the recovery once and reads
 * its own pending entries again. Entries read after {@link #stop()} are handed back to the group at
 * once, without counting a delivery.
 */
final class StreamReadLoop {

	/** The figures before the first read: named, so that their gauges exist, but without a value. */
	private static final Map<String, @Nullable Object> NOT_MEASURED = Collections.unmodifiableMap(Stream
		.of("lag", "pending")
		.collect(LinkedHashMap<String, @Nullable Object>::new, (map, figure) -> map.put(figure, null), Map::putAll));

	private static final Log logger = LogFactory.getLog(StreamReadLoop.class);

	private static final long INITIAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final String name;

	private final String destination;

	private final StreamGroupCommands commands;

	private final RedisStreamSettings settings;

	private final RedisConnectionFactory connectionFactory;

	private final StreamReader reader;

	private final StreamHoldings holdings;

	private final Semaphore slots;

	private final AtomicReference<SubscriptionState> state;

	private final Consumer<StreamDelivery> dispatcher;

	private final Thread thread;

	private volatile boolean running = true;

	/** The group's figures; named but without a value until first read, so that their gauges exist. */
	private volatile Map<String, @Nullable Object> figures = NOT_MEASURED;

	/** Why the loop cannot read, while it retries: shown in the subscription's details. */
	private volatile @Nullable String lastError;

	private @Nullable RedisConnection readConnection;


	StreamReadLoop(SubscriptionSpec spec, StreamGroupCommands commands, RedisStreamSettings settings,
			RedisConnectionFactory connectionFactory, StreamReader reader, StreamHoldings holdings, Semaphore slots,
			AtomicReference<SubscriptionState> state, Consumer<StreamDelivery> dispatcher) {
		this.name = spec.name();
		this.destination = spec.destination();
		this.commands = commands;
		this.settings = settings;
		this.connectionFactory = connectionFactory;
		this.reader = reader;
		this.holdings = holdings;
		this.slots = slots;
		this.state = state;
		this.dispatcher = dispatcher;
		this.thread = new Thread(this::run, "eventbus-redis-read-" + spec.name());
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Stop the loop and wait for its thread, at most twice the poll timeout plus 5 seconds.
	 */
	void stop() {
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(this.settings.pollTimeout().multipliedBy(2).plusSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The group's {@code lag} and {@code pending} as of the last refresh.
	 * @return the figures
	 */
	Map<String, Object> figures() {
		return this.figures;
	}

	/**
	 * Why the loop cannot reach Redis, while it retries: during an outage, or before it ever
	 * connected (the subscription then stays {@link SubscriptionState#STARTING}, so the application
	 * is not reported ready).
	 * @return the last error, or {@code null} while reading works
	 */
	@Nullable String lastError() {
		return this.lastError;
	}

	private void run() {
		long backoff = INITIAL_BACKOFF_NANOS;
		long nextTouch = 0;
		long nextFigures = 0;
		boolean failing = false;
		while (this.running) {
			try {
				if (this.readConnection == null) {
					this.commands.createGroup(this.settings.newGroupStart());
					this.readConnection = this.connectionFactory.getConnection();
					this.reader.recoverOwnPending();
				}
				if (failing) {
					logger.info("Subscription '" + this.name + "' reconnected to Redis; reading '"
							+ this.destination + "' again");
					failing = false;
					this.lastError = null;
				}
				this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
				this.state.compareAndSet(SubscriptionState.RECONNECTING, SubscriptionState.RUNNING);
				long now = System.nanoTime();
				if (now - nextTouch >= 0) {
					this.holdings.touchAll();
					nextTouch = now + this.settings.claimIdleTime().toNanos() / 3;
				}
				if (now - nextFigures >= 0) {
					this.figures = Map.copyOf(this.commands.figures());
					nextFigures = now + this.settings.claimInterval().toNanos();
				}
				poll(min(this.settings.pollTimeout(),
						Duration.ofNanos(Math.max(1, nextTouch - System.nanoTime()))));
				backoff = INITIAL_BACKOFF_NANOS;
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					break;
				}
				this.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
				if (!failing) {
					logger.warn("Subscription '" + this.name + "' lost Redis while reading '"
							+ this.destination + "'; retrying with backoff until it is back", ex);
					failing = true;
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("Subscription '" + this.name + "' still cannot reach Redis: " + ex);
				}
				this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.RECONNECTING);
				closeReadConnection();
				LockSupport.parkNanos(backoff);
				backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
			}
		}
		closeReadConnection();
	}

	private void poll(Duration wait) {
		try {
			if (!this.slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return;
		}
		int free = 1 + this.slots.drainPermits();
		int count = Math.min(free, this.settings.batchSize());
		this.slots.release(free - count);
		List<StreamDelivery> deliveries = List.of();
		try {
			RedisConnection connection = this.readConnection;
			if (connection != null && this.running) {
				Map<String, Integer> due = this.holdings.takeDue(count);
				try {
					deliveries = this.reader.read(connection, count, due, this.holdings::holds,
							min(this.settings.pollTimeout(), this.holdings.untilNextDue()));
				}
				catch (RuntimeException ex) {
					this.reader.recoverOwnPending();
					throw ex;
				}
			}
		}
		finally {
			this.slots.release(count - deliveries.size());
		}
		if (!this.running) {
			this.slots.release(deliveries.size());
			this.holdings.handBack(deliveries);
			return;
		}
		deliveries.forEach(this.dispatcher);
	}

	private void closeReadConnection() {
		RedisConnection connection = this.readConnection;
		this.readConnection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Failed to close read connection of '" + this.name + "'", ex);
			}
		}
	}

	private static Duration min(Duration first, Duration second) {
		return (first.compareTo(second) <= 0) ? first : second;
	}

}
