package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A consumer of a Redis consumer group. Its {@link StreamReadLoop} reads ahead: it holds up to
 * {@code max(batchSize, concurrency)} entries read and not yet settled, in batches of up to
 * {@link RedisStreamSettings#batchSize()}, into a local queue that at most
 * {@link SubscriptionSpec#concurrency()} of the adapter's handler threads take deliveries from. It
 * settles them: {@code ack} is an asynchronous XACK (see {@link StreamAcknowledger}) and the entry
 * stays held until Redis answered it; {@code retry} keeps the entry pending (held, see
 * {@link StreamHoldings}) until its delay has passed and the loop claims it again. A listener that
 * throws has its delivery retried after 100 ms. Entries are not ordered per subject.
 * <p>
 * {@link #close(Duration)} stops reading, hands the entries read ahead and not started back to the
 * group, waits for in-flight deliveries and their acknowledgements, and marks the entries still held
 * as idle so that other consumers of the group claim them at once (retries when their delay has
 * passed). Thread safe.
 */
final class StreamSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(StreamSubscription.class);

	/** Longest wait on close for acknowledgements already sent to be answered. */
	static final Duration ACK_FLUSH_TIMEOUT = Duration.ofSeconds(30);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final StreamGroupCommands commands;

	private final Executor handlers;

	private final StreamHoldings holdings;

	private final int capacity;

	private final Semaphore slots;

	private final Queue<StreamDelivery> ready = new ConcurrentLinkedQueue<>();

	private final AtomicInteger workers = new AtomicInteger();

	private final StreamAcknowledger acknowledger;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final StreamReadLoop loop;

	private volatile boolean stopping;

	private volatile boolean closed;

	private volatile boolean halted;

	StreamSubscription(SubscriptionSpec spec, DeliveryListener listener, StreamGroupCommands commands,
			RedisStreamSettings settings, RedisConnectionFactory connectionFactory, Executor handlers) {
		this.spec = spec;
		this.listener = listener;
		this.commands = commands;
		this.handlers = handlers;
		this.holdings = new StreamHoldings(commands, settings.claimIdleTime());
		this.capacity = Math.max(settings.batchSize(), spec.concurrency());
		this.slots = new Semaphore(this.capacity);
		this.acknowledger = new StreamAcknowledger(commands::acknowledge, this::acknowledged);
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
	 * The consumer name, deliveries in flight (in a handler or being acknowledged), entries read
	 * ahead and waiting for a handler, retries waiting in this instance, and the group's {@code lag}
	 * and {@code pending} count as of the last refresh (every claim interval).
	 * @return the figures
	 */
	@Override
	public Map<String, Object> details() {
		int buffered = this.ready.size();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("consumer", this.commands.consumer());
		details.put("inFlight", Math.max(0, this.holdings.inFlight() - buffered));
		details.put("readAhead", buffered);
		details.put("waitingRetries", this.holdings.waitingRetries());
		details.putAll(this.loop.figures());
		String lastError = this.loop.lastError();
		if (lastError != null) {
			details.put("lastError", lastError);
		}
		return details;
	}

	private void dispatch(StreamDelivery delivery) {
		this.holdings.dispatched(delivery);
		this.ready.add(delivery);
		int running;
		while ((running = this.workers.get()) < this.spec.concurrency()) {
			if (this.workers.compareAndSet(running, running + 1)) {
				try {
					this.handlers.execute(this::work);
				}
				catch (RejectedExecutionException ex) {
					this.workers.decrementAndGet();
					handBackReadAhead();
				}
				return;
			}
		}
	}

	private void work() {
		do {
			StreamDelivery delivery;
			while (!this.stopping && (delivery = this.ready.poll()) != null) {
				deliver(delivery);
			}
			this.workers.decrementAndGet();
		}
		while (!this.stopping && !this.ready.isEmpty() && rejoin());
	}

	private boolean rejoin() {
		int running;
		while ((running = this.workers.get()) < this.spec.concurrency()) {
			if (this.workers.compareAndSet(running, running + 1)) {
				return true;
			}
		}
		return false;
	}

	private void deliver(StreamDelivery delivery) {
		this.listener.onDelivery(delivery);
	}

	void acknowledge(StreamDelivery delivery) {
		if (!this.halted) {
			this.acknowledger.acknowledge(delivery.messageId());
		}
	}

	private void acknowledged(List<String> entryIds, @Nullable Throwable failure) {
		if (failure != null) {
			logger.warn("Could not acknowledge " + entryIds.size() + " entries of '" + this.spec.destination()
					+ "' (" + entryIds.get(0) + ((entryIds.size() > 1) ? ", ..." : "")
					+ "); they stay pending and will be delivered again", failure);
		}
		for (String entryId : entryIds) {
			this.holdings.settled(entryId);
		}
		this.slots.release(entryIds.size());
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
	 * Stop reading, hand the entries read ahead back to the group, wait up to the timeout for
	 * in-flight deliveries, wait for the acknowledgements sent to be answered, then let other
	 * consumers claim the entries this one still holds. Idempotent; never throws.
	 * @param drainTimeout the longest wait for in-flight deliveries
	 */
	@Override
	public void close(Duration drainTimeout) {
		if (!stopLoop()) {
			return;
		}
		handBackReadAhead();
		try {
			Duration timeout = (drainTimeout != null) ? drainTimeout : Duration.ZERO;
			if (this.slots.tryAcquire(this.capacity, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.capacity);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.acknowledger.flush(ACK_FLUSH_TIMEOUT)) {
			logger.warn("Subscription '" + this.spec.name() + "' closed with " + this.acknowledger.unanswered()
					+ " acknowledgements unanswered after " + ACK_FLUSH_TIMEOUT.toSeconds()
					+ "s; entries not acknowledged are delivered again");
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
				this.stopping = true;
				this.loop.stop();
				return true;
			}
			current = this.state.get();
		}
		return false;
	}

	private void handBackReadAhead() {
		List<StreamDelivery> deliveries = new ArrayList<>();
		StreamDelivery delivery;
		while ((delivery = this.ready.poll()) != null) {
			deliveries.add(delivery);
		}
		if (!deliveries.isEmpty()) {
			this.holdings.handBack(deliveries);
			this.slots.release(deliveries.size());
		}
	}

	@Override
	public String toString() {
		return "StreamSubscription[name=" + this.spec.name() + ", destination=" + this.spec.destination() + ", group="
				+ this.spec.group() + ", consumer=" + this.commands.consumer() + ", state=" + this.state.get() + "]";
	}

}
