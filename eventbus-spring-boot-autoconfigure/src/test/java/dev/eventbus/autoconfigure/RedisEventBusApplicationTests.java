package dev.eventbus.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishResult;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.autoconfigure.metrics.EventBusMetrics;
import dev.eventbus.autoconfigure.redis.RedisEventBusAdapterAutoConfiguration;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.SubscriptionState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured Redis adapter against a password-protected {@code redis-server} the
 * test starts on a free port: the connection comes from {@code spring.data.redis.*}, a
 * handler receives what the publisher sends, and the event is an entry of the
 * destination's stream.
 */
class RedisEventBusApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String PASSWORD = "app-secret";

	private static Process server;

	private static int port;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisEventBusAdapterAutoConfiguration.class, EventBusAutoConfiguration.class))
		.withBean(RecordingOrderHandler.class);

	@BeforeAll
	static void startRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
				"", "--appendonly", "no", "--requirepass", PASSWORD)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(WAIT).ignoreExceptions().until(() -> {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				return true;
			}
		});
	}

	@AfterAll
	static void stopRedis() throws InterruptedException {
		server.destroy();
		server.waitFor(10, TimeUnit.SECONDS);
	}

	@Test
	void handlerReceivesEventsThroughRedisStreamsConfiguredBySpringDataRedisProperties() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=redis", "spring.data.redis.port=" + port,
					"spring.data.redis.password=" + PASSWORD, "eventbus.redis.consumer-name=app-1",
					"eventbus.redis.poll-timeout=200ms", "eventbus.default-destination=orders")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.adapter()).isInstanceOf(RedisEventBusAdapter.class);
				await().atMost(WAIT)
					.until(() -> bus.subscriptions()
						.stream()
						.allMatch((view) -> view.state() == SubscriptionState.RUNNING));
				assertThat(bus.adapter().health().up()).isTrue();
				PublishResult result = context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
				RecordingOrderHandler handler = context.getBean(RecordingOrderHandler.class);
				await().atMost(WAIT).until(() -> handler.received().size() == 1);
				assertThat(handler.received().get(0).id()).isEqualTo(result.eventId());
				assertThat(handler.received().get(0).payload()).isEqualTo(new OrderCreated("o-1"));
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThat(redis.opsForStream().size("orders")).isEqualTo(1);
				assertThat(bus.subscriptions().get(0).details()).containsEntry("consumer", "app-1:application@orders");
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				new EventBusMetrics(bus).bindTo(registry);
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(registry.get("eventbus.consumer.lag")
						.tags("subscription", "application@orders", "destination", "orders", "group", "application")
						.gauge()
						.value()).isZero());
				assertThat(registry.get("eventbus.consumer.pending").gauge().value()).isZero();
			});
	}

}
