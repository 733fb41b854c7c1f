package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.eventbus.api.EventBusException;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.ChannelCallback;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Dead letters kept in the queue of a dead-letter destination, {@code <destination>.dlq},
 * which the adapter binds to the destination's dead-letter exchange with {@code #}. AMQP
 * cannot peek: {@link #browse} gets messages one by one without acknowledging them
 * ({@code basic.get}) and then gives them all back, which puts them back in their place,
 * and returns once they are; meanwhile a concurrent browse does not see them.
 * {@link #remove} acknowledges the message with the id and gives the others back;
 * {@link #purge} purges the queue. Reads stop at the messages the queue held when they
 * started. Message ids are the AMQP {@code message-id}s (the event id of dead letters the
 * bus wrote). Thread safe.
 */
final class RabbitMqDeadLetterStore implements DeadLetterStore {

	private final RabbitTemplate template;

	private final RabbitAdmin admin;

	private final RabbitMqMessageMapping mapping;

	private final RabbitMqFailures failures;

	private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	RabbitMqDeadLetterStore(RabbitTemplate template, RabbitAdmin admin, RabbitMqMessageMapping mapping,
			RabbitMqFailures failures) {
		this.template = template;
		this.admin = admin;
		this.mapping = mapping;
		this.failures = failures;
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		if (limit <= 0 || depth(deadLetterDestination) <= 0) {
			return List.of();
		}
		return execute("browse", deadLetterDestination, (channel) -> {
			long count = Math.min(limit, channel.queueDeclarePassive(deadLetterDestination).getMessageCount());
			List<StoredMessage> messages = new ArrayList<>();
			long last = -1;
			try {
				for (long i = 0; i < count; i++) {
					GetResponse response = channel.basicGet(deadLetterDestination, false);
					if (response == null) {
						break;
					}
					last = response.getEnvelope().getDeliveryTag();
					messages.add(stored(response));
				}
			}
			finally {
				if (last >= 0) {
					channel.basicNack(last, true, true);
					awaitGivenBack(channel, deadLetterDestination);
				}
			}
			return messages;
		});
	}

	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		if (depth(deadLetterDestination) <= 0) {
			return false;
		}
		return execute("remove a dead letter from", deadLetterDestination, (channel) -> {
			long count = channel.queueDeclarePassive(deadLetterDestination).getMessageCount();
			List<Long> others = new ArrayList<>();
			try {
				for (long i = 0; i < count; i++) {
					GetResponse response = channel.basicGet(deadLetterDestination, false);
					if (response == null) {
						return false;
					}
					long tag = response.getEnvelope().getDeliveryTag();
					if (messageId.equals(stored(response).messageId())) {
						channel.basicAck(tag, false);
						return true;
					}
					others.add(tag);
				}
				return false;
			}
			finally {
				for (long tag : others) {
					channel.basicNack(tag, false, true);
				}
				awaitGivenBack(channel, deadLetterDestination);
			}
		});
	}

	/**
	 * Make a synchronous call on the channel that gave messages back: the queue handles
	 * it after them, so once it returns they are back in their place for every reader.
	 */
	private static void awaitGivenBack(Channel channel, String queue) throws IOException {
		channel.queueDeclarePassive(queue);
	}

	@Override
	public int purge(String deadLetterDestination) {
		if (depth(deadLetterDestination) < 0) {
			return 0;
		}
		try {
			return this.admin.purgeQueue(deadLetterDestination);
		}
		catch (AmqpException ex) {
			throw failed("purge", deadLetterDestination, ex);
		}
	}

	/**
	 * Messages ready in a dead-letter queue.
	 * @return the count, or -1 when there is no such queue
	 */
	private long depth(String deadLetterDestination) {
		try {
			QueueInformation information = this.admin.getQueueInfo(deadLetterDestination);
			return (information != null) ? information.getMessageCount() : -1;
		}
		catch (AmqpException ex) {
			throw failed("read", deadLetterDestination, ex);
		}
	}

	private StoredMessage stored(GetResponse response) {
		MessageProperties properties = this.converter.toMessageProperties(response.getProps(), response.getEnvelope(),
				StandardCharsets.UTF_8.name());
		byte[] body = response.getBody();
		Map<String, String> headers = this.mapping.headers(properties);
		return new StoredMessage(RabbitMqMessageMapping.messageId(properties, body),
				this.mapping.key(properties, headers, body), headers, body);
	}

	private <T> T execute(String action, String deadLetterDestination, ChannelCallback<T> work) {
		try {
			return this.template.execute(work);
		}
		catch (AmqpException ex) {
			throw failed(action, deadLetterDestination, ex);
		}
	}

	private EventBusException failed(String action, String deadLetterDestination, Exception ex) {
		return new EventBusException("Could not " + action + " dead letters of '" + deadLetterDestination
				+ "' on RabbitMQ: " + this.failures.describe(ex), ex);
	}

}
