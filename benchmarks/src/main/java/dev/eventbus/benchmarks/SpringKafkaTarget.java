package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.test.Awaits;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * The {@code spring-kafka} peer: a Spring Boot application with Boot's Kafka
 * auto-configuration, sending each {@link Sample} with {@link KafkaTemplate#send} and
 * Jackson's JSON serializer (key = the bus's subject), and one {@code @KafkaListener}
 * record listener with manual acknowledgement ({@code AckMode.MANUAL}: offsets committed
 * after each poll, as the bus's) and the bus's concurrency. Producer and consumer
 * settings are the bus's, passed through {@code spring.kafka.*.properties}.
 */
final class SpringKafkaTarget implements Target {

	/** Its topic. */
	static final String TOPIC = "bench-spring-kafka";

	private static final String LISTENER = "spring-kafka";

	private final ConfigurableApplicationContext context;

	private final KafkaTemplate<String, Sample> template;

	@SuppressWarnings("unchecked")
	SpringKafkaTarget(String bootstrap, Map<String, Object> producer, Map<String, Object> consumer, int concurrency,
			int partitions, Recorder recorder) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", bootstrap);
		SpringPeer.passThrough("spring.kafka.producer.properties.", producer, properties);
		properties.put("spring.kafka.producer.key-serializer", StringSerializer.class.getName());
		properties.put("spring.kafka.producer.value-serializer", JacksonJsonSerializer.class.getName());
		SpringPeer.passThrough("spring.kafka.consumer.properties.", consumer, properties);
		properties.put("spring.kafka.consumer.key-deserializer", StringDeserializer.class.getName());
		properties.put("spring.kafka.consumer.value-deserializer", JacksonJsonDeserializer.class.getName());
		properties.put("spring.kafka.consumer.properties.spring.json.value.default.type", Sample.class.getName());
		properties.put("spring.kafka.listener.ack-mode", "manual");
		properties.put("spring.kafka.listener.concurrency", String.valueOf(concurrency));
		properties.put("spring.kafka.listener.poll-timeout", "1s");
		this.context = SpringPeer.start(Config.class, properties, recorder);
		this.template = this.context.getBean(KafkaTemplate.class);
		MessageListenerContainer container = this.context.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer(LISTENER);
		Awaits.await(Duration.ofSeconds(60), () -> assigned(container) == partitions,
				"spring-kafka listener not assigned");
	}

	/**
	 * The partitions assigned to a listener container's consumers.
	 * @param container the container
	 * @return how many
	 */
	static int assigned(MessageListenerContainer container) {
		Collection<TopicPartition> partitions = container.getAssignedPartitions();
		return (partitions != null) ? partitions.size() : 0;
	}

	@Override
	public String name() {
		return "spring-kafka";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		return this.template.send(TOPIC, Payloads.key(sequence), Payloads.sample(sequence, sentNanos));
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(KafkaAutoConfiguration.class)
	static class Config {

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

		@KafkaListener(id = LISTENER, topics = TOPIC)
		public void on(Sample sample, Acknowledgment acknowledgment) {
			this.recorder.record(sample.sentNanos());
			acknowledgment.acknowledge();
		}

	}

}
