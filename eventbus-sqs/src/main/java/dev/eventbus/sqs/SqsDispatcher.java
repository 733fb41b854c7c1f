package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Hands the messages of a receive to a subscription's listener on {@code concurrency}
 * threads. On FIFO queues the messages of one message group are handled one after
 * another; once one is given back, the rest of its group in that receive are released
 * unhandled, so that the group resumes in order when the message given back reappears
 * (SQS returns nothing more of a group while one of its messages is in flight).
 * <p>
 * For a batch handler's subscription the receive loop forms the batches and the
 * dispatcher {@link #hold holds} their messages as they arrive; each batch is then handed
 * whole to {@link DeliveryListener#onBatch} on one handler thread, in the order SQS
 * returned its messages, so that a FIFO batch keeps the order of each group, and the
 * listener settles each delivery on its own, possibly on another thread. The runtime
 * gives back the later messages of a subject after one it retries, so nothing is released
 * here. A retry with a short delay is handed out again in process as a batch of one on
 * standard queues; on FIFO queues it always goes through SQS (see {@link SqsDelivery}),
 * which returns the messages of a group given back together in their order.
 * <p>
 * Deliveries and batches that have not started when the subscription closes are released.
 * Thread safe.
 */
final class SqsDispatcher {

	private static final Log logger = LogFactory.getLog(SqsDispatcher.class);

	private final SubscriptionSpec spec;

	private final DeliveryListener listener;

	private final SqsMessageMapping mapping;

	private final boolean fifo;

	/** Whether the listener takes batches: the subscription of a batch handler. */
	private final boolean batches;

	private final ScheduledExecutorService scheduler;

	private final BooleanSupplier closed;

	private final ExecutorService handlers;

	SqsDispatcher(SubscriptionSpec spec, DeliveryListener listener, SqsMessageMapping mapping, boolean fifo,
			ScheduledExecutorService scheduler, BooleanSupplier closed) {
		this.spec = spec;
		this.listener = listener;
		this.mapping = mapping;
		this.fifo = fifo;
		this.batches = spec.batch() != null;
		this.scheduler = scheduler;
		this.closed = closed;
		AtomicInteger threads = new AtomicInteger();
		this.handlers = Executors.newFixedThreadPool(spec.concurrency(), (task) -> {
			Thread thread = new Thread(task, "eventbus-sqs-" + spec.name() + "-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Hold and deliver the messages of one receive.
	 * @param inFlight where the subscription's messages are held
	 * @param messages the messages, in the order SQS returned them
	 */
	void dispatch(SqsInFlight inFlight, List<Message> messages) {
		if (!this.fifo) {
			for (Message message : messages) {
				deliverOrElse(delivery(inFlight, message), SqsDelivery::release);
			}
			return;
		}
		Map<String, List<Message>> runs = new LinkedHashMap<>();
		for (Message message : messages) {
			String group = SqsMessageMapping.groupId(message);
			String run = (group != null) ? group : message.messageId();
			runs.computeIfAbsent(run, (key) -> new ArrayList<>()).add(message);
		}
		for (List<Message> run : runs.values()) {
			List<SqsDelivery> deliveries = new ArrayList<>(run.size());
			for (Message message : run) {
				deliveries.add(delivery(inFlight, message));
			}
			deliverInOrder(deliveries, 0);
		}
	}

	/**
	 * Hold the messages of a receive as deliveries, for a batch being formed.
	 * @param inFlight where the subscription's messages are held
	 * @param messages the messages, in the order SQS returned them
	 * @return their deliveries, in that order
	 */
	List<SqsDelivery> hold(SqsInFlight inFlight, List<Message> messages) {
		List<SqsDelivery> deliveries = new ArrayList<>(messages.size());
		for (Message message : messages) {
			deliveries.add(delivery(inFlight, message));
		}
		return deliveries;
	}

	/**
	 * Hand a batch to the listener on a handler thread, unless the subscription closed
	 * first: then its deliveries are released.
	 * @param batch the held deliveries, in the order SQS returned them
	 */
	void dispatchBatch(List<SqsDelivery> batch) {
		List<SqsDelivery> deliveries = List.copyOf(batch);
		handleOrElse(() -> this.listener.onBatch(deliveries), () -> deliveries.forEach(SqsDelivery::release));
	}

	private SqsDelivery delivery(SqsInFlight inFlight, Message message) {
		return new SqsDelivery(this.spec.destination(), message, this.mapping, inFlight.hold(message), inFlight,
				(previous, delay) -> redeliver(inFlight, previous, delay));
	}

	/**
	 * Stop taking work; deliveries queued until now are released by the threads.
	 */
	void shutdown() {
		this.handlers.shutdown();
	}

	private void deliverInOrder(List<SqsDelivery> run, int index) {
		if (index >= run.size()) {
			return;
		}
		try {
			this.handlers.execute(() -> {
				SqsDelivery delivery = run.get(index);
				if (this.closed.getAsBoolean()) {
					releaseFrom(run, index);
					return;
				}
				deliver(delivery);
				delivery.outcome().thenAccept((acknowledged) -> {
					if (acknowledged) {
						deliverInOrder(run, index + 1);
					}
					else {
						releaseFrom(run, index + 1);
					}
				});
			});
		}
		catch (RejectedExecutionException ex) {
			releaseFrom(run, index);
		}
	}

	private static void releaseFrom(List<SqsDelivery> run, int index) {
		run.subList(index, run.size()).forEach(SqsDelivery::release);
	}

	private boolean redeliver(SqsInFlight inFlight, SqsDelivery previous, Duration delay) {
		if (this.closed.getAsBoolean() || (this.batches && this.fifo)) {
			return false;
		}
		SqsDelivery next = new SqsDelivery(this.spec.destination(), previous.message(), this.mapping,
				previous.attempt() + 1, inFlight, (given, again) -> redeliver(inFlight, given, again));
		previous.follow(next.outcome());
		try {
			this.scheduler.schedule(() -> deliverOrElse(next, SqsDelivery::giveBack), delay.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			next.giveBack();
		}
		return true;
	}

	/**
	 * Deliver on a handler thread, unless the subscription closed first.
	 * @param delivery the delivery
	 * @param onClosed what to do with it instead when the subscription closed
	 */
	private void deliverOrElse(SqsDelivery delivery, Consumer<SqsDelivery> onClosed) {
		handleOrElse(() -> deliver(delivery), () -> onClosed.accept(delivery));
	}

	/**
	 * Run a handling on a handler thread, unless the subscription closed first.
	 * @param handling hands deliveries to the listener
	 * @param onClosed what to do instead when the subscription closed
	 */
	private void handleOrElse(Runnable handling, Runnable onClosed) {
		try {
			this.handlers.execute(() -> {
				if (this.closed.getAsBoolean()) {
					onClosed.run();
				}
				else {
					handling.run();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			onClosed.run();
		}
	}

	private void deliver(SqsDelivery delivery) {
		if (this.batches) {
			this.listener.onBatch(List.of(delivery));
		}
		else {
			this.listener.onDelivery(delivery);
		}
	}

}
