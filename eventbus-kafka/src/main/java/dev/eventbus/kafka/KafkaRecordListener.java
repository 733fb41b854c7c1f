package dev.eventbus.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.eventbus.kafka.KafkaDelivery.Outcome;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.AcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The record listener and rebalance listener of one subscription's container. Each record
 * is given to the {@link DeliveryListener} on the container thread that polled it, and
 * that thread waits until the delivery is settled: records of a partition are handled one
 * at a time, in offset order. An acknowledged record is acknowledged to the container
 * (committed with the next commit of its consumer); a retried one is negatively
 * acknowledged with its delay, which makes the container seek back and pause the
 * consumer, still polling, until the delay passed, so the poll thread never sleeps. The
 * listener never throws: the runtime settles every delivery.
 * <p>
 * Attempts are counted per partition and offset in memory, one entry per partition with a
 * retried record: a record redelivered after a rebalance to another instance starts again
 * at 1. Thread safe.
 */
final class KafkaRecordListener
		implements AcknowledgingConsumerAwareMessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

	private static final Log logger = LogFactory.getLog(KafkaRecordListener.class);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final Runnable onFirstAssignment;

	private final int consumers;

	private final ConcurrentMap<TopicPartition, long[]> attempts = new ConcurrentHashMap<>();

	private final Set<Consumer<?, ?>> assigned = Collections.newSetFromMap(new IdentityHashMap<>());

	/**
	 * The delivery each container thread is handling, if any: a thread handles one at a
	 * time.
	 */
	private final ConcurrentMap<Thread, InFlight> inFlight = new ConcurrentHashMap<>();

	private volatile boolean closing;

	KafkaRecordListener(SubscriptionSpec spec, DeliveryListener listener, int consumers, Runnable onFirstAssignment) {
		this.spec = spec;
		this.listener = listener;
		this.consumers = consumers;
		this.onFirstAssignment = onFirstAssignment;
	}

	@Override
	public void onMessage(ConsumerRecord<String, byte[]> record, Acknowledgment acknowledgment,
			Consumer<?, ?> consumer) {
		if (this.closing) {
			return;
		}
		Thread thread = Thread.currentThread();
		KafkaDelivery delivery = new KafkaDelivery(record, attempt(record), thread);
		InFlight slot = this.inFlight.get(thread);
		if (slot == null) {
			slot = this.inFlight.computeIfAbsent(thread, (key) -> new InFlight());
		}
		slot.delivery = delivery;
		try {
			if (this.closing) {
				return;
			}
			invoke(delivery);
			Outcome outcome = delivery.awaitOutcome();
			if (outcome.abandoned()) {
				Thread.interrupted();
			}
			else if (outcome.ack()) {
				forget(record);
				acknowledgment.acknowledge();
			}
			else if (!this.closing) {
				remember(record, delivery.attempt());
				acknowledgment.nack(outcome.delay());
			}
		}
		finally {
			slot.delivery = null;
			if (this.closing) {
				synchronized (this.inFlight) {
					this.inFlight.notifyAll();
				}
			}
		}
	}

	private void invoke(KafkaDelivery delivery) {
		this.listener.onDelivery(delivery);
	}

	private int attempt(ConsumerRecord<String, byte[]> record) {
		if (this.attempts.isEmpty()) {
			return 1;
		}
		long[] retried = this.attempts.get(new TopicPartition(record.topic(), record.partition()));
		return (retried != null && retried[0] == record.offset()) ? (int) Math.min(Integer.MAX_VALUE, retried[1] + 1)
				: 1;
	}

	private void remember(ConsumerRecord<String, byte[]> record, int attempt) {
		this.attempts.put(new TopicPartition(record.topic(), record.partition()),
				new long[] { record.offset(), attempt });
	}

	private void forget(ConsumerRecord<String, byte[]> record) {
		if (!this.attempts.isEmpty()) {
			this.attempts.computeIfPresent(new TopicPartition(record.topic(), record.partition()),
					(key, entry) -> (entry[0] == record.offset()) ? null : entry);
		}
	}

	@Override
	public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!partitions.isEmpty()) {
			logger.info("Subscription '" + this.spec.name() + "' (group '" + this.spec.group()
					+ "') was assigned partitions " + startingPoints(consumer, partitions));
		}
		boolean complete;
		synchronized (this.assigned) {
			complete = this.assigned.add(consumer) && this.assigned.size() == this.consumers;
		}
		if (complete) {
			this.onFirstAssignment.run();
		}
	}

	/**
	 * Where the group reads each partition from: its committed offset, or, for a
	 * partition the group never committed on, the consumer's {@code auto.offset.reset}.
	 */
	private static List<String> startingPoints(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> committed;
		try {
			committed = consumer.committed(new HashSet<>(partitions));
		}
		catch (RuntimeException ex) {
			return partitions.stream().map(TopicPartition::toString).toList();
		}
		List<String> points = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata offset = committed.get(partition);
			points.add(partition + ((offset != null) ? " from committed offset " + offset.offset()
					: " new to the group (auto.offset.reset)"));
		}
		return points;
	}

	@Override
	public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!partitions.isEmpty()) {
			logger.info("Subscription '" + this.spec.name() + "' (group '" + this.spec.group()
					+ "') gave up partitions " + partitions + " in a rebalance");
		}
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		if (!partitions.isEmpty()) {
			logger.warn("Subscription '" + this.spec.name() + "' (group '" + this.spec.group() + "') lost partitions "
					+ partitions + "; their unacknowledged records go to other members");
		}
	}

	/**
	 * Stop handing records to the listener: records polled from now on are left
	 * uncommitted. From now on every delivery that ends wakes {@link #awaitIdle}.
	 */
	void closing() {
		this.closing = true;
	}

	/**
	 * Wait until no delivery is in flight.
	 * @param timeout the longest wait
	 * @return whether none is in flight
	 */
	boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.inFlight) {
			while (busy()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					// looks again at least every 50 ms: a delivery that ends may skip the
					// notification
					TimeUnit.NANOSECONDS.timedWait(this.inFlight, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
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
	 * Abandon every delivery still in flight, interrupting the threads running their
	 * listener.
	 * @return how many were abandoned
	 */
	int abandonInFlight() {
		int abandoned = 0;
		for (InFlight slot : this.inFlight.values()) {
			KafkaDelivery delivery = slot.delivery;
			if (delivery != null && !delivery.settled()) {
				delivery.abandon();
				abandoned++;
			}
		}
		return abandoned;
	}

	private boolean busy() {
		for (InFlight slot : this.inFlight.values()) {
			if (slot.delivery != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The delivery a container thread is handling.
	 */
	private static final class InFlight {

		private volatile @Nullable KafkaDelivery delivery;

	}

}
