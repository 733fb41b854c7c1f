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

import org.springframework.kafka.listener.AcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
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
 * For a batch subscription the container gets {@link #batchListener()} instead: the
 * records of one poll (at most the batch size) are one batch, handed to
 * {@link DeliveryListener#onBatch}, and the thread waits until every delivery of it is
 * settled. When all were acknowledged the batch is acknowledged; otherwise it is
 * negatively acknowledged at the first record given back, which commits the records
 * before it and seeks every partition back to its first record from there on, to be
 * polled again after the longest delay asked for. Records after that point that were
 * acknowledged are remembered and skipped when polled again, so that no handler sees them
 * twice; they are committed with the batch they come back in.
 * <p>
 * Attempts are counted per partition and offset in memory, for the records given back: a
 * record redelivered after a rebalance to another instance starts again at 1. Thread
 * safe.
 */
final class KafkaRecordListener
		implements AcknowledgingConsumerAwareMessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

	private static final Log logger = LogFactory.getLog(KafkaRecordListener.class);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final Runnable onFirstAssignment;

	private final int consumers;

	private final RecordMemory memory = new RecordMemory();

	private final Set<Consumer<?, ?>> assigned = Collections.newSetFromMap(new IdentityHashMap<>());

	/**
	 * The deliveries each container thread is handling, if any: a record, or the batch of
	 * one poll.
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
		KafkaDelivery delivery = new KafkaDelivery(record, this.memory.attempt(record), Thread.currentThread());
		InFlight slot = slot();
		slot.deliveries = List.of(delivery);
		try {
			if (this.closing) {
				return;
			}
			this.listener.onDelivery(delivery);
			Outcome outcome = delivery.awaitOutcome();
			if (outcome.abandoned()) {
				Thread.interrupted();
			}
			else if (outcome.ack()) {
				this.memory.acknowledged(record, false);
				acknowledgment.acknowledge();
			}
			else if (!this.closing) {
				this.memory.givenBack(record, delivery.attempt());
				acknowledgment.nack(outcome.delay());
			}
		}
		finally {
			leave(slot);
		}
	}

	/**
	 * The listener of a batch subscription's container.
	 * @return a listener that hands each poll's records over as one batch
	 */
	BatchAcknowledgingConsumerAwareMessageListener<String, byte[]> batchListener() {
		return (records, acknowledgment, consumer) -> onBatch(records, acknowledgment);
	}

	private void onBatch(List<ConsumerRecord<String, byte[]>> records, Acknowledgment acknowledgment) {
		if (this.closing || records.isEmpty()) {
			return;
		}
		Thread thread = Thread.currentThread();
		KafkaDelivery[] deliveries = new KafkaDelivery[records.size()];
		List<KafkaDelivery> batch = new ArrayList<>(records.size());
		for (int i = 0; i < deliveries.length; i++) {
			ConsumerRecord<String, byte[]> record = records.get(i);
			if (!this.memory.acknowledgedAhead(record)) {
				deliveries[i] = new KafkaDelivery(record, this.memory.attempt(record), thread);
				batch.add(deliveries[i]);
			}
		}
		InFlight slot = slot();
		slot.deliveries = batch;
		try {
			if (this.closing) {
				return;
			}
			if (!batch.isEmpty()) {
				this.listener.onBatch(batch);
			}
			Outcome[] outcomes = new Outcome[deliveries.length];
			for (int i = 0; i < deliveries.length; i++) {
				outcomes[i] = (deliveries[i] != null) ? deliveries[i].awaitOutcome() : Outcome.ACK;
				if (outcomes[i].abandoned()) {
					Thread.interrupted();
					return;
				}
			}
			settle(records, deliveries, outcomes, acknowledgment);
		}
		finally {
			leave(slot);
		}
	}

	/**
	 * Acknowledge the batch, or negatively acknowledge it at its first record given back,
	 * remembering the records after it that were acknowledged and the attempts of those
	 * given back.
	 */
	private void settle(List<ConsumerRecord<String, byte[]>> records, KafkaDelivery[] deliveries, Outcome[] outcomes,
			Acknowledgment acknowledgment) {
		int first = -1;
		Duration delay = Duration.ZERO;
		for (int i = 0; i < outcomes.length; i++) {
			if (!outcomes[i].ack()) {
				first = (first < 0) ? i : first;
				delay = (outcomes[i].delay().compareTo(delay) > 0) ? outcomes[i].delay() : delay;
			}
		}
		for (int i = 0; i < outcomes.length; i++) {
			if (outcomes[i].ack()) {
				this.memory.acknowledged(records.get(i), first >= 0 && i > first);
			}
			else {
				this.memory.givenBack(records.get(i), deliveries[i].attempt());
			}
		}
		if (first < 0) {
			acknowledgment.acknowledge();
		}
		else if (!this.closing) {
			acknowledgment.nack(first, delay);
		}
	}

	private InFlight slot() {
		Thread thread = Thread.currentThread();
		InFlight slot = this.inFlight.get(thread);
		return (slot != null) ? slot : this.inFlight.computeIfAbsent(thread, (key) -> new InFlight());
	}

	private void leave(InFlight slot) {
		slot.deliveries = List.of();
		if (this.closing) {
			synchronized (this.inFlight) {
				this.inFlight.notifyAll();
			}
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
		forgetPartitions(partitions);
		if (!partitions.isEmpty()) {
			logger.info("Subscription '" + this.spec.name() + "' (group '" + this.spec.group()
					+ "') gave up partitions " + partitions + " in a rebalance");
		}
	}

	@Override
	public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
		forgetPartitions(partitions);
		if (!partitions.isEmpty()) {
			logger.warn("Subscription '" + this.spec.name() + "' (group '" + this.spec.group() + "') lost partitions "
					+ partitions + "; their unacknowledged records go to other members");
		}
	}

	/**
	 * Forget the attempts and the records acknowledged ahead of partitions this member no
	 * longer reads: whoever reads them next starts afresh.
	 */
	private void forgetPartitions(Collection<TopicPartition> partitions) {
		this.memory.forget(partitions);
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
			for (KafkaDelivery delivery : slot.deliveries) {
				if (!delivery.settled()) {
					delivery.abandon();
					abandoned++;
				}
			}
		}
		return abandoned;
	}

	private boolean busy() {
		for (InFlight slot : this.inFlight.values()) {
			if (!slot.deliveries.isEmpty()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The deliveries a container thread is handling.
	 */
	private static final class InFlight {

		private volatile List<KafkaDelivery> deliveries = List.of();

	}

}
