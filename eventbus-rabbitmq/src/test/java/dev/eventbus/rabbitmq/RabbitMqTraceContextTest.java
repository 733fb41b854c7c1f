package dev.eventbus.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.conformance.TraceContextConformance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Trace context across a real RabbitMQ hop: the AMQP header {@code traceparent}, read and
 * written with Spring AMQP's plain {@link RabbitTemplate}.
 */
class RabbitMqTraceContextTest extends TraceContextConformance {

	private static final Set<String> queues = TestInstance.names();

	private static final Set<String> exchanges = TestInstance.names();

	private static CachingConnectionFactory plainConnectionFactory;

	private static RabbitTemplate plain;

	@BeforeAll
	static void connect() {
		plainConnectionFactory = new CachingConnectionFactory(
				RabbitMqBroker.shared().connectionFactory().getRabbitConnectionFactory());
		plain = new RabbitTemplate(plainConnectionFactory);
	}

	@AfterAll
	static void deleteWhatTheTestsDeclared() {
		plainConnectionFactory.destroy();
		RabbitMqBroker.shared().delete(queues, exchanges);
	}

	@Override
	protected EventBusAdapter createAdapter() {
		return new TestInstance(RabbitMqBroker.shared(), RabbitMqAdapterSettings.DEFAULTS, queues, exchanges);
	}

	/**
	 * An observer's queue bound to the destination's exchange with {@code #}.
	 */
	@Override
	protected void keepMessagesOf(String destination) {
		RabbitAdmin admin = new RabbitAdmin(plainConnectionFactory);
		String queue = destination + ".observer";
		admin.declareExchange(new TopicExchange(destination, true, false));
		admin.declareQueue(new Queue(queue, true, false, false));
		admin.declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, destination, "#", null));
		queues.add(queue);
		exchanges.add(destination);
	}

	@Override
	protected List<String> readTraceparents(String destination, String eventId) {
		String queue = destination + ".observer";
		Message[] found = new Message[1];
		Awaits.await(timeout(), () -> {
			Message message = plain.receive(queue);
			if (message != null && new String(message.getBody(), StandardCharsets.UTF_8).contains(eventId)) {
				found[0] = message;
			}
			return found[0] != null;
		}, () -> "No message of event " + eventId + " in " + queue);
		Object traceparent = found[0].getMessageProperties().getHeaders().get("traceparent");
		return (traceparent != null) ? List.of(traceparent.toString()) : List.of();
	}

	/**
	 * Publishes a structured-mode CloudEvent to the destination's exchange, routed by its
	 * type, as any AMQP producer would.
	 */
	@Override
	protected void sendForeign(String destination, String type, String traceparent) {
		String body = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
				+ "\",\"source\":\"urn:foreign\",\"type\":\"" + type + "\",\"data\":{\"amount\":1}}";
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/cloudevents+json");
		properties.setHeader("traceparent", traceparent);
		plain.send(destination, type, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

}
