package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.eventbus.test.Awaits;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.cloud.function.cloudevent.CloudEventsFunctionExtensionConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.cloud.stream.binder.kafka.config.ExtendedBindingHandlerMappingsProviderConfiguration;
import org.springframework.cloud.stream.binder.kafka.config.MessageConverterHelperConfiguration;
import org.springframework.cloud.stream.config.BindingServiceConfiguration;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.cloud.stream.function.FunctionConfiguration;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The {@code spring-cloud-stream} peer: a Spring Boot application with Spring Cloud
 * Stream's Kafka binder, sending each {@link Sample} with {@link StreamBridge#send}
 * (JSON, key = the bus's subject) to an output binding, and a functional
 * {@code Consumer<Sample>} bound to the same topic in a consumer group with the bus's
 * concurrency and the binder's default acknowledgement (offsets committed after each
 * poll, as the bus's). Producer and consumer settings are the bus's, passed through the
 * binder's {@code producer-properties} and {@code consumer-properties}. A publish
 * completes when the binder hands the broker's acknowledgement to the binding's
 * {@code record-metadata-channel}, correlated by a header.
 */
final class SpringCloudStreamTarget implements Target {

	/** Its topic. */
	static final String TOPIC = "bench-scst";

	private static final String OUTPUT = "benchOut-out-0";

	private static final String INPUT = "benchConsumer-in-0";

	private static final String PUBLISH_ID = "bench-publish-id";

	private final ConfigurableApplicationContext context;

	private final StreamBridge bridge;

	private final Map<Long, CompletableFuture<Object>> sending = new ConcurrentHashMap<>();

	private long nextPublish;

	SpringCloudStreamTarget(String bootstrap, Map<String, Object> producer, Map<String, Object> consumer,
			int concurrency, int partitions, Recorder recorder) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", bootstrap);
		SpringPeer.passThrough("spring.cloud.stream.kafka.binder.producer-properties.", producer, properties);
		SpringPeer.passThrough("spring.cloud.stream.kafka.binder.consumer-properties.", consumer, properties);
		properties.put("spring.cloud.stream.kafka.binder.required-acks", String.valueOf(producer.get("acks")));
		properties.put("spring.cloud.function.definition", "benchConsumer");
		properties.put("spring.cloud.stream.output-bindings", "benchOut");
		properties.put("spring.cloud.stream.bindings." + OUTPUT + ".destination", TOPIC);
		properties.put("spring.cloud.stream.kafka.bindings." + OUTPUT + ".producer.record-metadata-channel", "sent");
		properties.put("spring.cloud.stream.kafka.bindings." + OUTPUT + ".producer.batch-timeout",
				String.valueOf(producer.get(ProducerConfig.LINGER_MS_CONFIG)));
		properties.put("spring.cloud.stream.kafka.bindings." + OUTPUT + ".producer.buffer-size",
				String.valueOf(producer.get(ProducerConfig.BATCH_SIZE_CONFIG)));
		properties.put("spring.cloud.stream.bindings." + INPUT + ".destination", TOPIC);
		properties.put("spring.cloud.stream.bindings." + INPUT + ".group", TOPIC);
		properties.put("spring.cloud.stream.bindings." + INPUT + ".consumer.concurrency", String.valueOf(concurrency));
		this.context = SpringPeer.start(Config.class, properties, recorder);
		this.context.getBean("sent", DirectChannel.class).subscribe(this::sent);
		this.bridge = this.context.getBean(StreamBridge.class);
		List<AbstractMessageListenerContainer<?, ?>> containers = this.context.getBean(Config.class).containers;
		Awaits.await(Duration.ofSeconds(60),
				() -> containers.stream().mapToInt(SpringKafkaTarget::assigned).sum() == partitions,
				"spring-cloud-stream consumer not assigned");
	}

	private void sent(Message<?> message) {
		CompletableFuture<Object> publish = this.sending.remove(message.getHeaders().get(PUBLISH_ID, Long.class));
		if (publish != null) {
			publish.complete(message.getHeaders().get(KafkaHeaders.RECORD_METADATA));
		}
	}

	@Override
	public String name() {
		return "spring-cloud-stream";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		long id = this.nextPublish++;
		CompletableFuture<Object> publish = new CompletableFuture<>();
		this.sending.put(id, publish);
		Message<Sample> message = MessageBuilder.withPayload(Payloads.sample(sequence, sentNanos))
			.setHeader(KafkaHeaders.KEY, Payloads.key(sequence).getBytes(StandardCharsets.UTF_8))
			.setHeader(PUBLISH_ID, id)
			.build();
		if (!this.bridge.send(OUTPUT, message)) {
			this.sending.remove(id);
			publish.completeExceptionally(new IllegalStateException("spring-cloud-stream: send refused"));
		}
		return publish;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
			KafkaAutoConfiguration.class, IntegrationAutoConfiguration.class,
			ContextFunctionCatalogAutoConfiguration.class, CloudEventsFunctionExtensionConfiguration.class,
			FunctionConfiguration.class, BindingServiceConfiguration.class, MessageConverterHelperConfiguration.class,
			ExtendedBindingHandlerMappingsProviderConfiguration.class })
	static class Config {

		private final List<AbstractMessageListenerContainer<?, ?>> containers = new CopyOnWriteArrayList<>();

		/**
		 * Keeps the binder's listener containers, to wait for their assignments.
		 * @return the customizer
		 */
		@Bean
		ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> containerCollector() {
			return (container, destination, group) -> this.containers.add(container);
		}

		@Bean
		DirectChannel sent() {
			return new DirectChannel();
		}

		@Bean
		Consumer<Sample> benchConsumer(Recorder recorder) {
			return (sample) -> recorder.record(sample.sentNanos());
		}

	}

}
