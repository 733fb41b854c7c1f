package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The read loop of a {@link StreamSubscription}, on a thread of its own. It creates the
 * group (XGROUP CREATE ... MKSTREAM) and opens a connection for blocking reads, then,
 * while it runs, refreshes the idle time of the entries the subscription holds every
 * third of the claim idle time and the group's figures every claim interval, and reads no
 * more entries than the subscription has free slots for, at most {@code batchSize} at
 * once, in this order: its retries that are due (XCLAIM by this consumer), its own
 * pending entries left from before a restart or reconnect (XPENDING for this consumer,
 * then XCLAIM), entries of dead consumers idle longer than the claim idle time (XPENDING
 * IDLE, then XCLAIM with that minimum idle time, so a live consumer's entry is never
 * taken), and finally new entries (XREADGROUP &gt;). The attempt of a claimed entry is
 * the delivery count that XPENDING reported plus the claim. Every entry read is held by
 * the subscription at once. Entries read after {@link #stop()} are handed back to the
 * group at once, without counting a delivery.
 * <p>
 * Without a {@link SubscriptionSpec#batch() batch} each entry read is dispatched to the
 * subscription on its own. In batch mode this loop collects the batch, on its own thread:
 * it reads as above, never more than the batch has room for, until the batch holds
 * {@link BatchSpec#maxSize()} entries or {@link BatchSpec#maxWait()} has passed since its
 * first entry was read. While a batch is being collected, waits for free slots and
 * XREADGROUP's BLOCK end when the batch is due; a read that returned entries does not
 * block, so the wait of a new batch starts with its first entry. The full or due batch is
 * then dispatched whole, for one handler thread to give to
 * {@link dev.eventbus.spi.DeliveryListener#onBatch}. So a batch is smaller than
 * {@code maxSize} when its wait ends first, also when the subscription has no free slot
 * for more entries. When a read fails the batch is dispatched at once, without waiting
 * for the reconnect; after {@link #stop()} it is handed back with the entries read.
 * <p>
 * It survives Redis errors: it logs the loss once and the subscription becomes
 * {@link SubscriptionState#RECONNECTING reconnecting}; it retries with a backoff of up to
 * 5 seconds, recreating the group if the server lost it, then logs the recovery once and
 * reads its own pending entries again.
 * <p>
 * It is not spring-data-redis' {@code StreamMessageListenerContainer}, because that
 * container cannot bound the entries read and not yet settled, cannot leave a retried
 * entry pending until its delay has passed before claiming it again, and does not read a
 * consumer's own pending entries after a restart. Spring Data Redis 4.1 has no XAUTOCLAIM
 * either: XPENDING ... IDLE plus XCLAIM does its work and also yields the delivery counts
 * that {@link StreamDelivery#attempt()} needs.
 */
final class StreamReader {

	private static final Log logger = LogFactory.getLog(StreamReader.class);

	private final StreamSubscription subscription;

	private final AtomicReference<SubscriptionState> state;

	private final StreamSettlements settlements;

	private final Semaphore slots;

	private final StreamGroupCommands commands;

	private final RedisStreamSettings settings;

	private final RedisConnectionFactory readConnections;

	/**
	 * Whether the group was created or joined once, which is logged the first time only.
	 */
	private boolean joined;

	private final Thread thread;

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final ExponentialBackOff backOff = new ExponentialBackOff(100, 2);

	private volatile @Nullable String lastError;

	private @Nullable RedisConnection readConnection;

	/**
	 * The last own pending entry read since the (re)connect, {@code null} once all were
	 * read.
	 */
	private @Nullable String lastOwnPending;

	private long nextIdleClaim = System.nanoTime();

	/** In batch mode, the batch being collected; only this loop's thread touches it. */
	private final List<StreamDelivery> batch = new ArrayList<>();

	/**
	 * In batch mode, the {@link System#nanoTime()} when the batch being collected is due:
	 * its maximum wait after its first entry was read.
	 */
	private long batchDue;

	/** The size of {@link #batch}, for {@link #collected()} on other threads. */
	private volatile int collected;

	StreamReader(StreamSubscription subscription, AtomicReference<SubscriptionState> state,
			StreamSettlements settlements, Semaphore slots, StreamGroupCommands commands, RedisStreamSettings settings,
			RedisConnectionFactory readConnections) {
		this.subscription = subscription;
		this.state = state;
		this.settlements = settlements;
		this.slots = slots;
		this.commands = commands;
		this.settings = settings;
		this.readConnections = readConnections;
		this.thread = new Thread(this::run, "eventbus-redis-read-" + subscription.spec().name());
		this.thread.setDaemon(true);
		this.backOff.setMaxInterval(5_000);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Stop the loop and wait for its thread, at most twice the poll timeout plus 5
	 * seconds.
	 */
	void stop() {
		this.stopped.countDown();
		try {
			this.thread.join(this.settings.pollTimeout().multipliedBy(2).plusSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean running() {
		return this.stopped.getCount() > 0;
	}

	/**
	 * Why the loop cannot reach Redis, while it retries: during an outage, or before it
	 * ever connected (the subscription then stays starting, so the application is not
	 * reported ready).
	 * @return the last error, or {@code null} while reading works
	 */
	@Nullable String lastError() {
		return this.lastError;
	}

	/**
	 * Entries of the batch being collected, in batch mode.
	 * @return the count, 0 without a batch
	 */
	int collected() {
		return this.collected;
	}

	private void run() {
		BackOffExecution backOff = null;
		long nextTouch = 0;
		long nextFigures = 0;
		while (running()) {
			try {
				if (this.readConnection == null) {
					boolean created = this.commands.createGroup(this.settings.newGroupStart());
					if (!this.joined) {
						logJoined(created);
						this.joined = true;
					}
					this.readConnection = this.readConnections.getConnection();
					this.lastOwnPending = "0-0";
				}
				if (this.lastError != null) {
					logger.info("Subscription '" + this.subscription.spec().name() + "' reconnected to Redis; reading '"
							+ this.subscription.spec().destination() + "' again");
					this.lastError = null;
				}
				this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
				this.state.compareAndSet(SubscriptionState.RECONNECTING, SubscriptionState.RUNNING);
				long now = System.nanoTime();
				if (now - nextTouch >= 0) {
					this.commands.touch(this.subscription.heldIds());
					nextTouch = now + this.settings.claimIdleTime().toNanos() / 3;
				}
				if (now - nextFigures >= 0) {
					this.commands.refreshFigures();
					nextFigures = now + this.settings.claimInterval().toNanos();
				}
				long wait = Math.min(this.settings.pollTimeout().toNanos(), nextTouch - System.nanoTime());
				if (!this.batch.isEmpty()) {
					wait = Math.min(wait, this.batchDue - System.nanoTime());
				}
				poll(Math.max(1, wait));
				if (running()) {
					dispatchBatch(false);
				}
				backOff = null;
			}
			catch (RuntimeException ex) {
				if (!running()) {
					break;
				}
				dispatchBatch(true);
				failed(ex);
				backOff = (backOff != null) ? backOff : this.backOff.start();
				await(backOff.nextBackOff());
			}
		}
		this.subscription.handBack(takeBatch());
		closeReadConnection();
	}

	private void logJoined(boolean created) {
		SubscriptionSpec spec = this.subscription.spec();
		if (created) {
			logger.info("Subscription '" + spec.name() + "' created consumer group '" + spec.group() + "' on stream '"
					+ spec.destination() + "', reading "
					+ ((this.settings.newGroupStart() == RedisStreamSettings.GroupStart.EARLIEST)
							? "from the start of the stream" : "only entries added from now on")
					+ " (eventbus.redis.new-group-start)");
		}
		else {
			logger.info("Subscription '" + spec.name() + "' joined consumer group '" + spec.group() + "' of stream '"
					+ spec.destination() + "', reading where the group left off");
		}
	}

	private void failed(RuntimeException ex) {
		if (this.lastError == null) {
			logger.warn("Subscription '" + this.subscription.spec().name() + "' lost Redis at "
					+ RedisEventBusAdapter.address(this.readConnections) + " (spring.data.redis.*) while reading '"
					+ this.subscription.spec().destination() + "': " + ex.getMessage()
					+ "; retrying with backoff until it is back", ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Subscription '" + this.subscription.spec().name() + "' still cannot reach Redis: " + ex);
		}
		this.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.RECONNECTING);
		closeReadConnection();
	}

	private void await(long millis) {
		try {
			this.stopped.await(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopped.countDown();
		}
	}

	private void poll(long waitNanos) {
		try {
			if (!this.slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopped.countDown();
			return;
		}
		int free = 1 + this.slots.drainPermits();
		int count = Math.min(free, this.settings.batchSize());
		BatchSpec batchSpec = this.subscription.batch();
		if (batchSpec != null) {
			count = Math.min(count, batchSpec.maxSize() - this.batch.size());
		}
		this.slots.release(free - count);
		List<StreamDelivery> deliveries = new ArrayList<>();
		try {
			if (running()) {
				read(count, deliveries);
			}
		}
		catch (RuntimeException ex) {
			// the entries read before the failure stay pending with this consumer and
			// are read again from its own pending entries: their slots are free again
			deliveries.clear();
			this.lastOwnPending = "0-0";
			throw ex;
		}
		finally {
			this.slots.release(count - deliveries.size());
		}
		if (!running()) {
			this.subscription.handBack(deliveries);
			return;
		}
		this.subscription.hold(deliveries);
		if (batchSpec == null) {
			deliveries.forEach((delivery) -> this.subscription.dispatch(List.of(delivery)));
			return;
		}
		if (this.batch.isEmpty() && !deliveries.isEmpty()) {
			this.batchDue = System.nanoTime() + batchSpec.maxWait().toNanos();
		}
		this.batch.addAll(deliveries);
		this.collected = this.batch.size();
	}

	/**
	 * Dispatch the batch being collected once it is full or due.
	 * @param now whether to dispatch it at once, full or not
	 */
	private void dispatchBatch(boolean now) {
		BatchSpec batchSpec = this.subscription.batch();
		if (batchSpec != null && !this.batch.isEmpty()
				&& (now || this.batch.size() >= batchSpec.maxSize() || System.nanoTime() - this.batchDue >= 0)) {
			this.subscription.dispatch(takeBatch());
		}
	}

	private List<StreamDelivery> takeBatch() {
		List<StreamDelivery> taken = List.copyOf(this.batch);
		this.batch.clear();
		this.collected = 0;
		return taken;
	}

	private void read(int count, List<StreamDelivery> deliveries) {
		claim(Duration.ZERO, this.settlements.takeDueRetries(count), deliveries);
		String afterId = this.lastOwnPending;
		if (deliveries.size() < count && afterId != null) {
			PendingMessages own = this.commands.ownPending(afterId, count - deliveries.size());
			this.lastOwnPending = own.isEmpty() ? null : own.get(own.size() - 1).getIdAsString();
			claim(Duration.ZERO, attempts(own, deliveries), deliveries);
		}
		if (deliveries.size() < count && System.nanoTime() - this.nextIdleClaim >= 0) {
			int wanted = count - deliveries.size();
			PendingMessages idle = this.commands.idlePending(this.settings.claimIdleTime(), wanted);
			int claimed = claim(this.settings.claimIdleTime(), attempts(idle, deliveries), deliveries);
			boolean more = claimed > 0 && idle.size() == wanted;
			this.nextIdleClaim = System.nanoTime() + (more ? 0 : this.settings.claimInterval().toNanos());
		}
		RedisConnection connection = this.readConnection;
		if (deliveries.size() < count && connection != null) {
			Duration block = deliveries.isEmpty() ? this.settlements.untilNextRetry() : Duration.ZERO;
			if (!this.batch.isEmpty()) {
				Duration untilDue = Duration.ofNanos(this.batchDue - System.nanoTime());
				block = (untilDue.compareTo(block) < 0) ? untilDue : block;
			}
			for (ByteRecord record : this.commands.readNew(connection, count - deliveries.size(),
					(block.compareTo(this.settings.pollTimeout()) < 0) ? block : this.settings.pollTimeout())) {
				deliveries.add(delivery(record, 1));
			}
		}
	}

	/**
	 * The attempts of pending entries not held yet: their delivery count plus the claim.
	 */
	private Map<String, Integer> attempts(PendingMessages pending, List<StreamDelivery> deliveries) {
		Map<String, Integer> attempts = new LinkedHashMap<>();
		if (pending.isEmpty()) {
			return attempts;
		}
		Set<String> held = this.subscription.heldIds();
		deliveries.forEach((delivery) -> held.add(delivery.messageId()));
		for (PendingMessage message : pending) {
			if (!held.contains(message.getIdAsString())) {
				attempts.put(message.getIdAsString(),
						(int) Math.min(Integer.MAX_VALUE - 1, message.getTotalDeliveryCount()) + 1);
			}
		}
		return attempts;
	}

	private int claim(Duration minIdle, Map<String, Integer> attempts, List<StreamDelivery> deliveries) {
		List<ByteRecord> records = this.commands.claim(minIdle, attempts.keySet());
		for (ByteRecord record : records) {
			deliveries.add(delivery(record, attempts.getOrDefault(record.getId().getValue(), 2)));
		}
		return records.size();
	}

	private StreamDelivery delivery(ByteRecord record, int attempt) {
		return new StreamDelivery(this.subscription, this.subscription.spec().destination(), record.getId().getValue(),
				StreamEntryLayout.read(record.getValue()), attempt);
	}

	private void closeReadConnection() {
		RedisConnectionUtils.releaseConnection(this.readConnection, this.readConnections);
		this.readConnection = null;
	}

}
