package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import dev.eventbus.spi.Delivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One message a subscription received, handed to its listener. {@link #ack()}
 * acknowledges it on the channel it arrived on; {@link #retry(Duration)} keeps it
 * unacknowledged and has the {@link RabbitMqDispatcher} hand it out again after the
 * delay, with {@link #attempt()} one higher, so a consumer that dies meanwhile leaves it
 * to the broker to redeliver. A delivery whose channel closed (connection lost) is void:
 * the broker has given its message back to the queue, so acknowledging it does nothing
 * and it is never handed out again. Settled once, by the runtime. Thread safe.
 */
final class RabbitMqDelivery implements Delivery {

	private static final Log logger = LogFactory.getLog(RabbitMqDelivery.class);

	private final String destination;

	private final Channel channel;

	private final long deliveryTag;

	private final String messageId;

	private final @Nullable String key;

	private final Map<String, String> headers;

	private final byte[] body;

	private final int attempt;

	private final long sequence;

	private final RabbitMqDispatcher dispatcher;

	RabbitMqDelivery(String destination, Channel channel, long deliveryTag, String messageId, @Nullable String key,
			Map<String, String> headers, byte[] body, int attempt, long sequence, RabbitMqDispatcher dispatcher) {
		this.destination = destination;
		this.channel = channel;
		this.deliveryTag = deliveryTag;
		this.messageId = messageId;
		this.key = key;
		this.headers = Map.copyOf(headers);
		this.body = body;
		this.attempt = attempt;
		this.sequence = sequence;
		this.dispatcher = dispatcher;
	}

	@Override
	public String destination() {
		return this.destination;
	}

	/**
	 * The AMQP {@code message-id}: the event id for messages the bus wrote.
	 * @return the id
	 */
	@Override
	public String messageId() {
		return this.messageId;
	}

	@Override
	public @Nullable String key() {
		return this.key;
	}

	@Override
	public Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public byte[] body() {
		return this.body;
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public void ack() {
		try {
			this.channel.basicAck(this.deliveryTag, false);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not acknowledge " + this + " (its channel closed); RabbitMQ delivers it again", ex);
		}
		this.dispatcher.acknowledged(this);
	}

	@Override
	public void retry(Duration delay) {
		this.dispatcher.retry(this, delay);
	}

	/**
	 * The same message, to be handed out again after a retry.
	 * @return the delivery, one attempt later
	 */
	RabbitMqDelivery next() {
		return new RabbitMqDelivery(this.destination, this.channel, this.deliveryTag, this.messageId, this.key,
				this.headers, this.body, this.attempt + 1, this.sequence, this.dispatcher);
	}

	/**
	 * Whether the channel it arrived on is still open, so that it can be settled.
	 * @return whether it is
	 */
	boolean isLive() {
		return this.channel.isOpen();
	}

	/**
	 * Its place in the order the subscription received messages, kept across retries.
	 * @return the sequence number
	 */
	long sequence() {
		return this.sequence;
	}

	@Override
	public String toString() {
		return "RabbitMqDelivery[destination=" + this.destination + ", messageId=" + this.messageId + ", attempt="
				+ this.attempt + "]";
	}

}
