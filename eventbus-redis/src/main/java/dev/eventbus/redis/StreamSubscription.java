package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A consumer of a Redis consumer group. Its {@link StreamReader} reads ahead into a local
 * queue: the subscription holds up to {@code max(batchSize, spec.capacity())} entries
 * read and not yet settled, while at most {@link SubscriptionSpec#concurrency()} of the
 * adapter's handler threads take work from the queue. Entries are not ordered per
 * subject.
 * <p>
 * Without a {@link SubscriptionSpec#batch() batch} each piece of work is one delivery,
 * given to {@link DeliveryListener#onDelivery}. In batch mode the reader collects the
 * batches itself (see {@link StreamReader}) and queues each as one piece of work: a
 * handler thread gives the whole batch to {@link DeliveryListener#onBatch}, so at most
 * {@code concurrency} batches are handled at once. Each delivery of a batch is then
 * settled on its own, as below, possibly from another thread.
 * <p>
 * An entry read stays pending with this consumer, held, until it is settled: the reader
 * refreshes the idle time of the entries held so that no other consumer claims them.
 * {@code ack} is an asynchronous XACK (see {@link StreamSettlements}) and the entry stays
 * held until Redis answered; one whose XACK failed is logged, stays pending and is
 * delivered again. {@code retry} keeps the entry pending, held, until its delay has
 * passed and the reader claims it again.
 * <p>
 * {@link #close(Duration)} stops reading, hands the entries read ahead and not started
 * (in batch mode, with the batch being collected) back to the group, waits for in-flight
 * deliveries and their acknowledgements, and marks the entries still held as idle so that
 * other consumers of the group claim them at once (retries when their delay has passed).
 * Thread safe.
 */
final class StreamSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(StreamSubscription.class);

	/** Longest wait on close for acknowledgements already sent to be answered. */
	static final Duration ACK_FLUSH_TIMEOUT = Duration.ofSeconds(30);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final StreamGroupCommands commands;

	private final Executor handlers;

	private final Duration claimIdleTime;

	private final int capacity;

	private final @Nullable BatchSpec batch;

	/**
	 * Entries the subscription may still hold: read ahead, in a handler or being
	 * acknowledged.
	 */
	private final Semaphore slots;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final StreamReader reader;

	private final StreamSettlements settlements;

	/** Ids of the entries read and not settled, or whose XACK was not answered yet. */
	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	/**
	 * Work read and waiting for a handler: single deliveries, or whole batches in batch
	 * mode. Its monitor also guards {@link #handling}.
	 */
	private final Queue<List<StreamDelivery>> readAhead = new ArrayDeque<>();

	private int handling;

	private volatile boolean closed;

	private volatile boolean halted;

	StreamSubscription(SubscriptionSpec spec, DeliveryListener listener, StreamGroupCommands commands,
			RedisStreamSettings settings, RedisConnectionFactory readConnections, Executor handlers) {
		this.spec = spec;
		this.listener = listener;
		this.commands = commands;
		this.handlers = handlers;
		this.claimIdleTime = settings.claimIdleTime();
		this.batch = spec.batch();
		this.capacity = Math.max(settings.batchSize(), spec.capacity());
		this.slots = new Semaphore(this.capacity);
		this.settlements = new StreamSettlements(commands::acknowledge, this::acknowledged);
		this.reader = new StreamReader(this, this.state, this.settlements, this.slots, commands, settings,
				readConnections);
	}

	void start() {
		this.reader.start();
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
	 * The consumer name, deliveries in flight (in a handler or being acknowledged),
	 * entries read ahead and waiting for a handler (in batch mode, those of the batch
	 * being collected too), retries waiting in this instance, and the group's {@code lag}
	 * and {@code pending} count as of the last refresh (every claim interval).
	 * @return the figures
	 */
	@Override
	public Map<String, Object> details() {
		int waiting = this.reader.collected();
		synchronized (this.readAhead) {
			for (List<StreamDelivery> work : this.readAhead) {
				waiting += work.size();
			}
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("consumer", this.commands.consumer());
		details.put("inFlight", Math.max(0, this.inFlight.size() - waiting));
		details.put("readAhead", waiting);
		details.put("waitingRetries", this.settlements.waitingRetries());
		details.putAll(this.commands.figures());
		String lastError = this.reader.lastError();
		if (lastError != null) {
			details.put("lastError", lastError);
		}
		return details;
	}

	/**
	 * A copy of the ids this subscription holds: read and not settled, or waiting for a
	 * retry.
	 */
	Set<String> heldIds() {
		Set<String> held = new HashSet<>(this.inFlight);
		held.addAll(this.settlements.retryIds());
		return held;
	}

	/**
	 * The batch of a batch subscription, or {@code null} for deliveries one at a time.
	 * @return the batch spec
	 */
	@Nullable BatchSpec batch() {
		return this.batch;
	}

	/**
	 * Hold entries just read, until they are settled or handed back: their idle time is
	 * refreshed and they are never claimed again meanwhile.
	 * @param deliveries the deliveries read
	 */
	void hold(List<StreamDelivery> deliveries) {
		deliveries.forEach((delivery) -> this.inFlight.add(delivery.messageId()));
	}

	/**
	 * Queue held work for a handler thread: one delivery, or one whole batch in batch
	 * mode.
	 * @param work the deliveries handed to one listener call
	 */
	void dispatch(List<StreamDelivery> work) {
		synchronized (this.readAhead) {
			this.readAhead.add(work);
			if (this.handling == this.spec.concurrency()) {
				return;
			}
			this.handling++;
		}
		try {
			this.handlers.execute(this::handleReadAhead);
		}
		catch (RejectedExecutionException ex) {
			synchronized (this.readAhead) {
				this.handling--;
			}
			handBackReadAhead();
		}
	}

	private void handleReadAhead() {
		List<StreamDelivery> work;
		while ((work = nextReadAhead()) != null) {
			if (this.batch != null) {
				this.listener.onBatch(work);
			}
			else {
				this.listener.onDelivery(work.get(0));
			}
		}
	}

	private @Nullable List<StreamDelivery> nextReadAhead() {
		synchronized (this.readAhead) {
			List<StreamDelivery> next = stopping(this.state.get()) ? null : this.readAhead.poll();
			if (next == null) {
				this.handling--;
			}
			return next;
		}
	}

	void acknowledge(StreamDelivery delivery) {
		if (!this.halted) {
			this.settlements.acknowledge(delivery.messageId());
		}
	}

	private void acknowledged(List<String> entryIds, @Nullable Throwable failure) {
		if (failure != null) {
			logger.warn("Could not acknowledge " + entryIds.size() + " entries of '" + this.spec.destination() + "' ("
					+ entryIds.get(0) + ((entryIds.size() > 1) ? ", ..." : "")
					+ "); they stay pending and will be delivered again", failure);
		}
		this.inFlight.removeAll(entryIds);
		this.slots.release(entryIds.size());
	}

	void retryLater(StreamDelivery delivery, Duration delay) {
		if (this.halted) {
			return;
		}
		this.settlements.retryLater(delivery.messageId(), delivery.attempt() + 1, delay);
		this.inFlight.remove(delivery.messageId());
		this.slots.release();
		if (this.closed) {
			releaseRetries();
		}
	}

	/**
	 * Let other consumers claim entries that no handler has seen, at once and with the
	 * delivery count they had before this consumer read them, so that reading ahead costs
	 * no attempt. Frees their slots. Never throws.
	 * @param deliveries the deliveries
	 */
	void handBack(List<StreamDelivery> deliveries) {
		deliveries.stream()
			.collect(Collectors.groupingBy(StreamDelivery::attempt,
					Collectors.mapping(StreamDelivery::messageId, Collectors.toList())))
			.forEach((attempt, ids) -> {
				this.inFlight.removeAll(ids);
				this.commands.release(ids, this.claimIdleTime, attempt - 1L);
			});
		this.slots.release(deliveries.size());
	}

	/**
	 * Stop reading, hand the entries read ahead back to the group, wait up to the timeout
	 * for in-flight deliveries, wait for the acknowledgements sent to be answered, then
	 * let other consumers claim the entries this one still holds. Idempotent; never
	 * throws.
	 * @param drainTimeout the longest wait for in-flight deliveries
	 */
	@Override
	public void close(Duration drainTimeout) {
		if (!stopReading()) {
			return;
		}
		handBackReadAhead();
		try {
			if (this.slots.tryAcquire(this.capacity, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
				this.slots.release(this.capacity);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.settlements.flush(ACK_FLUSH_TIMEOUT)) {
			logger.warn("Subscription '" + this.spec.name() + "' closed with " + this.settlements.unanswered()
					+ " acknowledgements unanswered after " + ACK_FLUSH_TIMEOUT.toSeconds()
					+ "s; entries not acknowledged are delivered again");
		}
		this.closed = true;
		this.commands.release(this.inFlight, this.claimIdleTime, null);
		releaseRetries();
		this.state.set(SubscriptionState.STOPPED);
	}

	/**
	 * Stop at once as a process that dies would: no draining, no acknowledgement and no
	 * release of held entries, which other consumers claim after the claim idle time.
	 */
	void halt() {
		this.halted = true;
		if (stopReading()) {
			this.state.set(SubscriptionState.STOPPED);
		}
	}

	private boolean stopReading() {
		if (stopping(this.state.getAndUpdate((current) -> stopping(current) ? current : SubscriptionState.STOPPING))) {
			return false;
		}
		this.reader.stop();
		return true;
	}

	private static boolean stopping(SubscriptionState state) {
		return state == SubscriptionState.STOPPING || state == SubscriptionState.STOPPED;
	}

	private void handBackReadAhead() {
		List<StreamDelivery> deliveries = new ArrayList<>();
		synchronized (this.readAhead) {
			this.readAhead.forEach(deliveries::addAll);
			this.readAhead.clear();
		}
		handBack(deliveries);
	}

	private void releaseRetries() {
		this.settlements.takeAllRetries(this.claimIdleTime)
			.forEach((entryId, idle) -> this.commands.release(List.of(entryId), idle, null));
	}

	@Override
	public String toString() {
		return "StreamSubscription[name=" + this.spec.name() + ", destination=" + this.spec.destination() + ", group="
				+ this.spec.group() + ", consumer=" + this.commands.consumer() + ", state=" + this.state.get() + "]";
	}

}
