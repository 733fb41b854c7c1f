package dev.eventbus.rabbitmq;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The messages ready in a group's queue, read with a passive queue declaration at most
 * every 5 seconds, in the background, so that {@link #ready()} never waits for the
 * broker. AMQP reports only the messages ready for delivery, not those delivered and
 * unacknowledged. Thread safe.
 */
final class RabbitMqQueueDepth {

	private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final RabbitAdmin admin;

	private final String queue;

	private final Executor executor;

	private final AtomicBoolean reading = new AtomicBoolean();

	private volatile long ready = -1;

	private volatile long readAt = System.nanoTime() - MAX_AGE_NANOS - 1;

	RabbitMqQueueDepth(RabbitAdmin admin, String queue, Executor executor) {
		this.admin = admin;
		this.queue = queue;
		this.executor = executor;
	}

	/**
	 * The messages ready last read, starting a new read when that is older than 5
	 * seconds.
	 * @return the count, or -1 before the first read
	 */
	long ready() {
		if (System.nanoTime() - this.readAt > MAX_AGE_NANOS && this.reading.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::read);
			}
			catch (RejectedExecutionException ex) {
				this.reading.set(false);
			}
		}
		return this.ready;
	}

	private void read() {
		try {
			QueueInformation information = this.admin.getQueueInfo(this.queue);
			if (information != null) {
				this.ready = information.getMessageCount();
			}
		}
		catch (RuntimeException ex) {
			// the broker is unreachable: keep the last figure
		}
		finally {
			this.readAt = System.nanoTime();
			this.reading.set(false);
		}
	}

}
