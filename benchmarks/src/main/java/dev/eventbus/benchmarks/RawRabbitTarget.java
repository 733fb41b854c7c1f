package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.test.Awaits;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The RabbitMQ baseline on plain Spring AMQP, on a connection factory of its own with
 * correlated publisher confirms and returns. Sending: a {@link RabbitTemplate} on the
 * factory's publisher connection, mandatory, publishing persistent messages whose body is
 * a CloudEvents structured JSON document the size and shape of the bus's
 * ({@link Payloads#cloudEventText}, content type {@code application/cloudevents+json}) to
 * a durable topic exchange with the routing key {@value #ROUTING_KEY}; a publish
 * completes on its correlated confirm, and fails on a nack or a return, as the bus's
 * does. Receiving: a durable quorum queue bound with {@value #ROUTING_KEY}, read by a
 * {@link SimpleMessageListenerContainer} with {@code concurrency} consumers, manual
 * acknowledgement and the given prefetch; each consumer thread reads the send time from
 * the body, records it and acknowledges the message on its channel.
 */
final class RawRabbitTarget implements Target {

	/** Routing key of the messages, the bus's event type. */
	static final String ROUTING_KEY = "bench.sample";

	/** Prefix of the listener container's consumer threads. */
	static final String CONSUMER_THREADS = "raw-rabbit-consumer-";

	private final RabbitTemplate template;

	private final SimpleMessageListenerContainer container;

	private final String exchange;

	/**
	 * Declare the exchange, the queue and its binding, then start the consumers and wait
	 * until the broker counts them all.
	 * @param connectionFactory the factory, with correlated confirms and returns
	 * @param exchange the exchange
	 * @param queue the queue
	 * @param queueArguments the queue's arguments
	 * @param prefetch unacknowledged messages per consumer at most
	 * @param concurrency consumers
	 * @param recorder records every arrival
	 */
	RawRabbitTarget(CachingConnectionFactory connectionFactory, String exchange, String queue,
			Map<String, Object> queueArguments, int prefetch, int concurrency, Recorder recorder) {
		this.exchange = exchange;
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		admin.declareExchange(new TopicExchange(exchange, true, false));
		admin.declareQueue(new Queue(queue, true, false, false, queueArguments));
		admin.declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, exchange, ROUTING_KEY, null));
		this.template = new RabbitTemplate(connectionFactory);
		this.template.setMandatory(true);
		this.template.setUsePublisherConnection(true);
		this.container = new SimpleMessageListenerContainer(connectionFactory);
		this.container.setBeanName("raw-rabbit");
		this.container.setTaskExecutor(new SimpleAsyncTaskExecutor(CONSUMER_THREADS));
		this.container.setQueueNames(queue);
		this.container.setConcurrentConsumers(concurrency);
		this.container.setPrefetchCount(prefetch);
		this.container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		this.container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
			recorder.record(Payloads.sentNanosOfAny(new String(message.getBody(), StandardCharsets.UTF_8)));
			if (channel != null) {
				channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
			}
		});
		this.container.afterPropertiesSet();
		this.container.start();
		Awaits.await(Duration.ofSeconds(60), () -> {
			QueueInformation information = admin.getQueueInfo(queue);
			return information != null && information.getConsumerCount() == concurrency;
		}, () -> "raw-rabbit consumers not started on " + queue);
	}

	@Override
	public String name() {
		return "raw-rabbit";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setContentType("application/cloudevents+json");
		Message message = new Message(Payloads.cloudEventText(sequence, sentNanos).getBytes(StandardCharsets.UTF_8),
				properties);
		CorrelationData correlation = new CorrelationData();
		this.template.send(this.exchange, ROUTING_KEY, message, correlation);
		return confirmed(name(), correlation);
	}

	/**
	 * A publish that completes on its correlated confirm, as the bus's does, and fails on
	 * a nack or a return.
	 * @param target the publishing target's name
	 * @param correlation the publish's correlation
	 * @return the publish
	 */
	static CompletableFuture<?> confirmed(String target, CorrelationData correlation) {
		return correlation.getFuture().thenApply((confirm) -> {
			if (!confirm.ack()) {
				throw new IllegalStateException(target + ": publish not confirmed: " + confirm.reason());
			}
			if (correlation.getReturned() != null) {
				throw new IllegalStateException(target + ": publish returned unroutable");
			}
			return confirm;
		});
	}

	@Override
	public void close() {
		this.container.stop();
		this.container.destroy();
	}

}
