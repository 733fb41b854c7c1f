package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.eventbus.spi.BatchSpec;
import dev.eventbus.sqs.SqsPolls.Receive;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The receive loop of a batch handler's subscription. A batch starts with the first
 * message a long poll returns and is handed to the dispatcher as soon as it holds
 * {@link BatchSpec#maxSize()} messages or {@link BatchSpec#maxWait()} has passed since
 * then; meanwhile receives ask for the room left (at most 10) and long-poll for the time
 * left, in whole seconds. A receive still open when the batch is due is not waited for:
 * what it returns starts the next batch. The messages of a batch are held as they arrive,
 * so that they stay invisible while it fills; when the subscription closes, those of a
 * batch still filling are released, at the latest once its wait ends. Runs on the
 * subscription's polling thread.
 */
final class SqsBatchReceiver {

	private static final int MAX_BATCH = 10;

	private final BatchSpec batch;

	private final SqsPolls polls;

	private final SqsDispatcher dispatcher;

	private final Duration waitTime;

	private final Received received;

	private final BooleanSupplier closed;

	/**
	 * Create the loop.
	 * @param batch how batches are formed
	 * @param polls starts the receives
	 * @param dispatcher runs the batches
	 * @param waitTime the longest long poll
	 * @param received waits for a receive, as the subscription reads it
	 * @param closed whether the subscription closed
	 */
	SqsBatchReceiver(BatchSpec batch, SqsPolls polls, SqsDispatcher dispatcher, Duration waitTime, Received received,
			BooleanSupplier closed) {
		this.batch = batch;
		this.polls = polls;
		this.dispatcher = dispatcher;
		this.waitTime = waitTime;
		this.received = received;
		this.closed = closed;
	}

	/**
	 * Receive and dispatch batches until the subscription closes.
	 * @param current where the subscription's messages are held
	 * @throws InterruptedException if interrupted
	 */
	void run(SqsInFlight current) throws InterruptedException {
		List<SqsDelivery> filling = new ArrayList<>();
		long due = 0;
		Receive open = null;
		while (!this.closed.getAsBoolean()) {
			if (!filling.isEmpty() && (filling.size() >= this.batch.maxSize() || System.nanoTime() - due >= 0)) {
				this.dispatcher.dispatchBatch(filling);
				filling = new ArrayList<>();
			}
			if (open == null) {
				int room = Math.min(MAX_BATCH, this.batch.maxSize() - filling.size());
				int permits = filling.isEmpty() ? current.acquire(room, this.waitTime.plusSeconds(1))
						: current.acquire(room, SqsPolls.untilDue(due));
				if (permits == 0) {
					continue;
				}
				open = this.polls.start(current, permits, filling.isEmpty() ? this.waitTime : SqsPolls.untilDue(due));
			}
			if (!filling.isEmpty() && !SqsPolls.awaitDone(open.response(), due)) {
				continue;
			}
			List<Message> messages = this.received.messages(current, open);
			open = null;
			if (messages == null || messages.isEmpty()) {
				continue;
			}
			if (this.closed.getAsBoolean()) {
				current.releaseUnheld(messages);
				continue;
			}
			if (filling.isEmpty()) {
				due = System.nanoTime() + this.batch.maxWait().toNanos();
			}
			filling.addAll(this.dispatcher.hold(current, messages));
		}
		filling.forEach(SqsDelivery::release);
		if (open != null) {
			List<Message> late = this.received.messages(current, open);
			if (late != null) {
				current.releaseUnheld(late);
			}
		}
	}

	/**
	 * How the subscription waits for a receive and reads its outcome.
	 */
	@FunctionalInterface
	interface Received {

		/**
		 * Wait until a receive returns and give back the permits its messages do not use.
		 * @param current where the subscription's messages are held
		 * @param receive the receive
		 * @return its messages, or {@code null} when it failed
		 * @throws InterruptedException if interrupted while waiting
		 */
		@Nullable List<Message> messages(SqsInFlight current, Receive receive) throws InterruptedException;

	}

}
