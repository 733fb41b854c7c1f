package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.test.Awaits;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.Subscription;

/**
 * The {@code spring-data-redis} peer: a Spring Boot application with Boot's Redis
 * auto-configuration (Lettuce), appending each {@link Sample} with
 * {@code StreamOperations.add} of the reactive template (XADD pipelined on the shared
 * connection, as the bus's; the blocking template would wait a round trip per event) as
 * the fields {@code type}, {@code subject} and {@code event} (the sample as JSON), and a
 * {@link StreamMessageListenerContainer} with the bus's read batch size and poll timeout
 * and one {@code receive} subscription (no auto-acknowledgement) per unit of the bus's
 * concurrency in one consumer group; each reads the sample with Jackson, records it and
 * acknowledges the entry ({@code StreamOperations.acknowledge}, XACK).
 */
final class SpringRedisTarget implements Target {

	private static final String KEY = "bench-spring-redis";

	private static final String GROUP = "spring-bench";

	private final ConfigurableApplicationContext context;

	private final ReactiveStringRedisTemplate template;

	private final ObjectWriter writer = JsonMapper.builder().build().writerFor(Sample.class);

	SpringRedisTarget(int port, int concurrency, int batchSize, Duration pollTimeout, Recorder recorder) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", String.valueOf(port));
		// commons-pool2 is on the benchmarks' class path, not on an application's by
		// default
		properties.put("spring.data.redis.lettuce.pool.enabled", "false");
		properties.put("bench.concurrency", String.valueOf(concurrency));
		properties.put("bench.batch-size", String.valueOf(batchSize));
		properties.put("bench.poll-timeout", pollTimeout.toString());
		this.context = SpringPeer.start(Config.class, properties, recorder);
		this.template = this.context.getBean(ReactiveStringRedisTemplate.class);
		this.context.getBean(Config.class).subscriptions.forEach(this::awaitActive);
	}

	private void awaitActive(Subscription subscription) {
		try {
			if (!subscription.await(Duration.ofSeconds(30))) {
				throw new IllegalStateException("spring-data-redis subscription not active");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String name() {
		return "spring-data-redis";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		Map<String, String> fields = Map.of("type", "bench.sample", "subject", Payloads.key(sequence), "event",
				this.writer.writeValueAsString(Payloads.sample(sequence, sentNanos)));
		return this.template.opsForStream().add(MapRecord.create(KEY, fields)).toFuture();
	}

	/**
	 * Stop the container, wait for its blocked reads to return, then close the
	 * application.
	 */
	@Override
	public void close() {
		this.context.getBean(StreamMessageListenerContainer.class).stop();
		Awaits.await(Duration.ofSeconds(30),
				() -> this.context.getBean(Config.class).subscriptions.stream().noneMatch(Subscription::isActive),
				"spring-data-redis subscriptions still reading");
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class })
	static class Config {

		private final List<Subscription> subscriptions = new ArrayList<>();

		@Bean
		StreamMessageListenerContainer<String, MapRecord<String, String, String>> container(
				RedisConnectionFactory connectionFactory, StringRedisTemplate template, Recorder recorder,
				org.springframework.core.env.Environment environment) {
			StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options = StreamMessageListenerContainerOptions
				.builder()
				.batchSize(environment.getRequiredProperty("bench.batch-size", Integer.class))
				.pollTimeout(environment.getRequiredProperty("bench.poll-timeout", Duration.class))
				.executor(new SimpleAsyncTaskExecutor("spring-redis-"))
				.build();
			StreamMessageListenerContainer<String, MapRecord<String, String, String>> container = StreamMessageListenerContainer
				.create(connectionFactory, options);
			template.execute((connection) -> connection.streamCommands()
				.xGroupCreate(KEY.getBytes(), GROUP, ReadOffset.from("0"), true), true);
			ObjectReader reader = JsonMapper.builder().build().readerFor(Sample.class);
			for (int i = 0; i < environment.getRequiredProperty("bench.concurrency", Integer.class); i++) {
				this.subscriptions.add(container.receive(Consumer.from(GROUP, "consumer-" + i),
						StreamOffset.create(KEY, ReadOffset.lastConsumed()), (entry) -> {
							Sample sample = reader.readValue(entry.getValue().get("event"));
							recorder.record(sample.sentNanos());
							template.opsForStream().acknowledge(GROUP, entry);
						}));
			}
			return container;
		}

	}

}
