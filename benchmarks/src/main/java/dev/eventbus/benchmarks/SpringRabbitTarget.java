package dev.eventbus.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import dev.eventbus.test.Awaits;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The {@code spring-amqp} peer: a Spring Boot application with Boot's RabbitMQ
 * auto-configuration (correlated publisher confirms and returns, mandatory template, on
 * the publisher connection as the bus's), sending each {@link Sample} as JSON
 * ({@link JacksonJsonMessageConverter}, persistent) with
 * {@link RabbitTemplate#convertAndSend} to a durable topic exchange, each publish
 * completed on its correlated confirm, and a {@code @RabbitListener} with manual
 * acknowledgement and the bus's concurrency and prefetch on a durable quorum queue with
 * the bus's delivery limit, declared as beans.
 */
final class SpringRabbitTarget implements Target {

	private final ConfigurableApplicationContext context;

	private final RabbitTemplate template;

	private final String exchange;

	/**
	 * Start the application and wait until the broker counts all its consumers.
	 * @param uri the broker
	 * @param exchange the exchange, which the queue {@code <exchange>.bench} is bound to
	 * @param deliveryLimit the queue's delivery limit
	 * @param prefetch unacknowledged messages per consumer at most
	 * @param concurrency consumers
	 * @param recorder records every arrival
	 */
	SpringRabbitTarget(URI uri, String exchange, int deliveryLimit, int prefetch, int concurrency, Recorder recorder) {
		this.exchange = exchange;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.rabbitmq.addresses", uri.getHost() + ":" + uri.getPort());
		properties.put("spring.rabbitmq.username", "guest");
		properties.put("spring.rabbitmq.password", "guest");
		properties.put("spring.rabbitmq.publisher-confirm-type", "correlated");
		properties.put("spring.rabbitmq.publisher-returns", "true");
		properties.put("spring.rabbitmq.template.mandatory", "true");
		properties.put("spring.rabbitmq.listener.simple.acknowledge-mode", "manual");
		properties.put("spring.rabbitmq.listener.simple.concurrency", String.valueOf(concurrency));
		properties.put("spring.rabbitmq.listener.simple.prefetch", String.valueOf(prefetch));
		properties.put("bench.exchange", exchange);
		properties.put("bench.queue", queue(exchange));
		properties.put("bench.delivery-limit", String.valueOf(deliveryLimit));
		this.context = SpringPeer.start(Config.class, properties, recorder);
		this.template = this.context.getBean(RabbitTemplate.class);
		AmqpAdmin admin = this.context.getBean(AmqpAdmin.class);
		Awaits.await(Duration.ofSeconds(60), () -> {
			QueueInformation information = admin.getQueueInfo(queue(exchange));
			return information != null && information.getConsumerCount() == concurrency;
		}, () -> "spring-amqp consumers not started on " + queue(exchange));
	}

	static String queue(String exchange) {
		return exchange + ".bench";
	}

	@Override
	public String name() {
		return "spring-amqp";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		CorrelationData correlation = new CorrelationData();
		this.template.convertAndSend(this.exchange, RawRabbitTarget.ROUTING_KEY, Payloads.sample(sequence, sentNanos),
				correlation);
		return RawRabbitTarget.confirmed(name(), correlation);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RabbitAutoConfiguration.class)
	static class Config {

		@Bean
		MessageConverter jsonMessageConverter() {
			return new JacksonJsonMessageConverter();
		}

		@Bean
		RabbitTemplateCustomizer publisherConnection() {
			return (template) -> template.setUsePublisherConnection(true);
		}

		@Bean
		TopicExchange exchange(Environment environment) {
			return new TopicExchange(environment.getRequiredProperty("bench.exchange"), true, false);
		}

		@Bean
		Queue queue(Environment environment) {
			return QueueBuilder.durable(environment.getRequiredProperty("bench.queue"))
				.quorum()
				.deliveryLimit(environment.getRequiredProperty("bench.delivery-limit", Integer.class))
				.build();
		}

		@Bean
		Binding binding(Queue queue, TopicExchange exchange) {
			return BindingBuilder.bind(queue).to(exchange).with(RawRabbitTarget.ROUTING_KEY);
		}

		@Bean
		Listener listener(Recorder recorder) {
			return new Listener(recorder);
		}

	}

	static class Listener {

		private final Recorder recorder;

		Listener(Recorder recorder) {
			this.recorder = recorder;
		}

		@RabbitListener(id = "spring-amqp", queues = "${bench.queue}")
		public void on(Sample sample, Channel channel, @Header(AmqpHeaders.DELIVERY_TAG) long deliveryTag)
				throws IOException {
			this.recorder.record(sample.sentNanos());
			channel.basicAck(deliveryTag, false);
		}

	}

}
