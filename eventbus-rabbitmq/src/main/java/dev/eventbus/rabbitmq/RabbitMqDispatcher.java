package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands a subscription's deliveries to its listener on {@code concurrency} handler
 * threads, and holds what waits: retries, messages of a busy key, a batch being formed.
 * Everything it holds stays unacknowledged at the broker, so the broker redelivers it if
 * the consumer dies; its prefetch bounds how much that is.
 * <ul>
 * <li><b>Retries</b> are handed out again from the scheduler once their delay has passed,
 * never by a thread that sleeps.</li>
 * <li><b>Ordered per key</b> ({@link RabbitMqAdapterSettings#orderedPerKey()}): the
 * deliveries of a key wait in a lane, in the order they arrived; while one of them is
 * with the listener, or given back and waiting for its delay, the later ones wait. A
 * delivery given back goes back to its place in the lane. Keys proceed in parallel.</li>
 * <li><b>Batches</b> ({@link SubscriptionSpec#batch()}): deliveries are collected and
 * handed to {@link DeliveryListener#onBatch} as soon as {@link BatchSpec#maxSize()} are
 * collected or {@link BatchSpec#maxWait()} after the first. When ordered, a batch may
 * hold several deliveries of a key, and no delivery of a key joins a batch while one of
 * an earlier batch is unsettled; deliveries of a key given back from a batch come back
 * together, in their order, after the delay.</li>
 * </ul>
 * Deliveries whose channel closed are dropped when their turn comes: the broker has them
 * back. After {@link #close()} nothing more is handed out and retries stay with the
 * broker. Thread safe: one lock guards the lanes and the batch being formed; the listener
 * is called outside it.
 */
final class RabbitMqDispatcher {

	private static final Log logger = LogFactory.getLog(RabbitMqDispatcher.class);

	private final DeliveryListener listener;

	private final boolean ordered;

	private final @Nullable BatchSpec batch;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService handlers;

	private final Object lock = new Object();

	private final Map<String, Lane> lanes = new HashMap<>();

	private List<RabbitMqDelivery> forming = new ArrayList<>();

	private @Nullable ScheduledFuture<?> formingDue;

	/** Messages received and not acknowledged: held in memory or with the listener. */
	private int unacknowledged;

	/** Deliveries handed to the listener and not settled yet. */
	private int running;

	private boolean closed;

	RabbitMqDispatcher(SubscriptionSpec spec, DeliveryListener listener, boolean ordered,
			ScheduledExecutorService scheduler) {
		this.listener = listener;
		this.ordered = ordered;
		this.batch = spec.batch();
		this.scheduler = scheduler;
		AtomicInteger threads = new AtomicInteger();
		this.handlers = Executors.newFixedThreadPool(spec.concurrency(), (task) -> {
			Thread thread = new Thread(task, "eventbus-rabbitmq-" + spec.name() + "-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Take a delivery the consumer received; called in the order the broker delivered.
	 * @param delivery the delivery
	 */
	void accept(RabbitMqDelivery delivery) {
		synchronized (this.lock) {
			this.unacknowledged++;
			if (this.closed) {
				return;
			}
			Lane lane = laneOf(delivery, true);
			if (lane == null) {
				handOut(delivery, null);
			}
			else {
				lane.waiting.add(delivery);
				release(lane);
			}
		}
	}

	/**
	 * A delivery was acknowledged.
	 * @param delivery the delivery
	 */
	void acknowledged(RabbitMqDelivery delivery) {
		synchronized (this.lock) {
			this.unacknowledged--;
			this.running--;
			this.lock.notifyAll();
			Lane lane = laneOf(delivery, false);
			if (lane != null) {
				lane.outstanding--;
				release(lane);
			}
		}
	}

	/**
	 * A delivery was given back: hand it out again after the delay, keeping its place in
	 * its key's lane.
	 * @param delivery the delivery
	 * @param delay the delay
	 */
	void retry(RabbitMqDelivery delivery, Duration delay) {
		RabbitMqDelivery next = delivery.next();
		synchronized (this.lock) {
			this.running--;
			this.lock.notifyAll();
			if (this.closed) {
				return;
			}
			Lane lane = laneOf(delivery, false);
			if (lane != null) {
				lane.outstanding--;
				lane.waiting.add(next);
				lane.notBefore = Math.max(lane.notBefore, System.nanoTime() + delay.toNanos());
				release(lane);
				return;
			}
		}
		schedule(() -> {
			synchronized (this.lock) {
				if (!this.closed) {
					handOut(next, null);
				}
			}
		}, delay.toNanos());
	}

	/**
	 * Stop handing out deliveries; what is held stays unacknowledged until the channel
	 * closes, and the broker redelivers it.
	 */
	void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.lanes.clear();
			this.forming = new ArrayList<>();
			if (this.formingDue != null) {
				this.formingDue.cancel(false);
			}
		}
	}

	/**
	 * Wait until the deliveries with the listener are settled.
	 * @param timeout the longest wait
	 * @return whether they all were
	 */
	boolean awaitSettled(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.running > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Let the handler threads end once they are done.
	 */
	void shutdown() {
		this.handlers.shutdown();
	}

	/**
	 * Messages this subscription holds unacknowledged.
	 * @return the count
	 */
	int unacknowledged() {
		synchronized (this.lock) {
			return this.unacknowledged;
		}
	}

	private @Nullable Lane laneOf(RabbitMqDelivery delivery, boolean create) {
		String key = delivery.key();
		if (!this.ordered || key == null) {
			return null;
		}
		return create ? this.lanes.computeIfAbsent(key, Lane::new) : this.lanes.get(key);
	}

	/**
	 * Hand out the waiting deliveries of a key that may go: none while one of an earlier
	 * batch or single delivery is unsettled or its delay has not passed. Holds the lock.
	 */
	private void release(Lane lane) {
		while (!lane.waiting.isEmpty() && lane.outstanding == 0) {
			long wait = lane.notBefore - System.nanoTime();
			if (wait > 0) {
				scheduleRelease(lane, wait);
				return;
			}
			handOut(lane.waiting.poll(), lane);
		}
		if (lane.waiting.isEmpty() && lane.outstanding == 0 && lane.forming == 0) {
			this.lanes.remove(lane.key, lane);
		}
	}

	private void scheduleRelease(Lane lane, long wait) {
		if (lane.releaseScheduled) {
			return;
		}
		lane.releaseScheduled = true;
		schedule(() -> {
			synchronized (this.lock) {
				lane.releaseScheduled = false;
				if (!this.closed && this.lanes.get(lane.key) == lane) {
					release(lane);
				}
			}
		}, wait);
	}

	/**
	 * Give a delivery to the listener, or to the batch being formed. Holds the lock.
	 */
	private void handOut(RabbitMqDelivery delivery, @Nullable Lane lane) {
		if (!delivery.isLive()) {
			this.unacknowledged--;
			return;
		}
		BatchSpec batching = this.batch;
		if (batching == null) {
			if (lane != null) {
				lane.outstanding++;
			}
			this.running++;
			execute(List.of(delivery), () -> this.listener.onDelivery(delivery));
			return;
		}
		if (lane != null) {
			lane.forming++;
		}
		this.forming.add(delivery);
		if (this.forming.size() == 1) {
			List<RabbitMqDelivery> due = this.forming;
			this.formingDue = schedule(() -> {
				synchronized (this.lock) {
					if (!this.closed && this.forming == due) {
						dispatchBatch();
					}
				}
			}, batching.maxWait().toNanos());
		}
		if (this.forming.size() >= batching.maxSize()) {
			dispatchBatch();
		}
	}

	/**
	 * Hand the batch being formed to the listener. Holds the lock.
	 */
	private void dispatchBatch() {
		List<RabbitMqDelivery> deliveries = List.copyOf(this.forming);
		this.forming = new ArrayList<>();
		if (this.formingDue != null) {
			this.formingDue.cancel(false);
			this.formingDue = null;
		}
		for (RabbitMqDelivery delivery : deliveries) {
			Lane lane = laneOf(delivery, false);
			if (lane != null) {
				lane.forming--;
				lane.outstanding++;
			}
		}
		this.running += deliveries.size();
		execute(deliveries, () -> this.listener.onBatch(deliveries));
	}

	/**
	 * Run a handling on a handler thread, unless the subscription closed before it
	 * started: its deliveries then stay with the broker. Holds the lock.
	 */
	private void execute(List<RabbitMqDelivery> deliveries, Runnable handling) {
		try {
			this.handlers.execute(() -> {
				boolean skip;
				synchronized (this.lock) {
					skip = this.closed;
					if (skip) {
						this.running -= deliveries.size();
						this.lock.notifyAll();
					}
				}
				if (!skip) {
					handling.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.running -= deliveries.size();
			logger.debug("Subscription closed: " + deliveries.size() + " deliveries left to RabbitMQ", ex);
		}
	}

	private @Nullable ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		try {
			return this.scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Adapter closed: a retry is left to RabbitMQ", ex);
			return null;
		}
	}

	/**
	 * The deliveries of one key, for ordering: those waiting, in the order they arrived,
	 * and how many were handed out and are not settled.
	 */
	private static final class Lane {

		final String key;

		final PriorityQueue<RabbitMqDelivery> waiting = new PriorityQueue<>(
				Comparator.comparingLong(RabbitMqDelivery::sequence));

		/** Deliveries with the listener, single or in a dispatched batch. */
		int outstanding;

		/** Deliveries in the batch being formed. */
		int forming;

		/** Nothing of the key is handed out before this {@link System#nanoTime()}. */
		long notBefore = System.nanoTime();

		boolean releaseScheduled;

		Lane(String key) {
			this.key = key;
		}

	}

}
