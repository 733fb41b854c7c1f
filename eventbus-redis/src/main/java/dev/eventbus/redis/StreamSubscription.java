package dev.eventbus.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A consumer of a Redis consumer group. Its {@link StreamReadLoop} reads no more entries than it has
 * free in-flight slots ({@link SubscriptionSpec#concurrency()}); this class hands them to the
 * listener on the adapter's handler threads and settles them: {@code ack} is an XACK, {@code retry}
 * keeps the entry pending (held, see {@link StreamHoldings}) until its delay has passed and the loop
 * claims it again. A listener that throws has its delivery retried after 100 ms.
 * <p>
 * {@link #close(Duration)} stops reading, waits for in-flight deliveries, and marks the entries
 * still held as idle so that other consumers of the group claim them at once (retries when their
 * delay has passed). Thread safe.
 */
final class StreamSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(StreamSubscription.class);

	/** Delay before a delivery whose listener threw is redelivered. */
	static final Duration LISTENER_FAILURE_DELAY = Duration.ofMillis(100);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final StreamGroupCommands commands;

	private final Executor handlers;

	private final StreamHoldings holdings;

	private final Semaphore slots;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final StreamReadLoop loop;

	private volatile boolean closed;

	private volatile boolean halted;

	StreamSubscription(SubscriptionSpec spec, DeliveryListener listener, StreamGroupCommands commands,
			RedisStreamSettings settings, RedisConnectionFactory connectionFactory, Executor handlers) {
		this.spec = spec;
		this.listener = listener;
		this.commands = commands;
		this.handlers = handlers;
		this.holdings = new StreamHoldings(commands, settings.claimIdleTime());
		this.slots = new Semaphore(spec.concurrency());
		this.loop = new StreamReadLoop(spec, commands, settings, connectionFactory,
				new StreamReader(commands, settings, spec.destination(), this), this.holdings, this.slots, this.state,
				this::dispatch);
	}

	void start() {
		this.loop.start();
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	@Override
	public SubscriptionState state() {
		return this.state.get();
	}

	/**
	 * The consumer name, deliveries in flight and retries waiting in this instance, and the group's
	 * {@code lag} and {@code pending} count as of the last refresh (every claim interval).
	 * @return the figures
	 */
	@Override
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("consumer", this.commands.consumer());
		details.put("inFlight", this.holdings.inFlight());
		details.put("waitingRetries", this.holdings.waitingRetries());
		details.putAll(this.loop.figures());
		return details;
	}

	private void dispatch(StreamDelivery delivery) {
		this.holdings.dispatched(delivery);
		try {
			this.handlers.execute(() -> deliver(delivery));
		}
		catch (RejectedExecutionException ex) {
			this.holdings.settled(delivery.messageId());
			this.slots.release();
			this.holdings.releaseNow(List.of(delivery.messageId()));
		}
	}

	private void deliver(StreamDelivery delivery) {
		try {
			this.listener.onDelivery(delivery);
		}
		catch (Throwable ex) {
			logger.warn("Listener of subscription '" + this.spec.name() + "' failed on " + delivery + "; redelivering in "
					+ LISTENER_FAILURE_DELAY.toMillis() + "ms", ex);
			delivery.retry(LISTENER_FAILURE_DELAY);
		}
	}

	void acknowledge(StreamDelivery delivery) {
		if (this.halted || !this.holdings.settled(delivery.messageId())) {
			return;
		}
		try {
			this.commands.ack(delivery.messageId());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not acknowledge entry " + delivery.messageId() + " of '" + this.spec.destination()
					+ "'; it stays pending and will be delivered again", ex);
		}
		finally {
			this.slots.release();
		}
	}

	void retryLater(StreamDelivery delivery, Duration delay) {
		if (this.halted || !this.holdings.settled(delivery.messageId())) {
			return;
		}
		this.holdings.retryLater(delivery.messageId(), delivery.attempt() + 1, delay);
		this.slots.release();
		if (this.closed) {
			this.holdings.releaseRetries();
		}
	}

	/**
	 * Stop reading, wait up to the timeout for in-flight deliveries, then let other consumers claim
	 * the entries this one still holds. Idempotent; never throws.
	 * @param drainTimeout the longest wait for in-flight deliveries
	 */
	@Override
	public void close(Duration drainTimeout) {
		if (!stopLoop()) {
			return;
		}
		try {
			Duration timeout = (drainTimeout != null) ? drainTimeout : Duration.ZERO;
			if (this.slots.tryAcquire(this.spec.concurrency(), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.spec.concurrency());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.closed = true;
		this.holdings.releaseAll();
		this.state.set(SubscriptionState.STOPPED);
	}

	/**
	 * Stop at once as a process that dies would: no draining, no acknowledgement and no release of
	 * held entries, which other consumers claim after the claim idle time.
	 */
	void halt() {
		this.halted = true;
		if (stopLoop()) {
			this.state.set(SubscriptionState.STOPPED);
		}
	}

	private boolean stopLoop() {
		SubscriptionState current = this.state.get();
		while (current != SubscriptionState.STOPPING && current != SubscriptionState.STOPPED) {
			if (this.state.compareAndSet(current, SubscriptionState.STOPPING)) {
				this.loop.stop();
				return true;
			}
			current = this.state.get();
		}
		return false;
	}

	@Override
	public String toString() {
		return "StreamSubscription[name=" + this.spec.name() + ", destination=" + this.spec.destination() + ", group="
				+ this.spec.group() + ", consumer=" + this.commands.consumer() + ", state=" + this.state.get() + "]";
	}

}
