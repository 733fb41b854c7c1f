package dev.eventbus.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgements through Redis: those made while an XACK is on its way go together in
 * the next one, an entry whose XACK failed is delivered again and acknowledged once XACK
 * works, and a factory that does not share its native connection sends and acknowledges
 * through one of its own.
 */
class RedisAcknowledgementTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	@Test
	void acknowledgementsMadeWhileAnXackIsOnItsWayGoTogetherInTheNextOne() throws InterruptedException {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = server.connectionFactory(null, Duration.ofSeconds(10));
			LettuceConnectionFactory admin = server.connectionFactory(null, Duration.ofSeconds(10));
			StringRedisTemplate redis = new StringRedisTemplate(admin);
			try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory,
					RedisStreamSettings.of("node").withPollTimeout(Duration.ofMillis(200)))) {
				CountDownLatch release = new CountDownLatch(1);
				CountDownLatch acknowledged = new CountDownLatch(4);
				List<Delivery> started = new CopyOnWriteArrayList<>();
				Subscription subscription = subscribe(adapter, 4, (delivery) -> {
					started.add(delivery);
					await(release);
					delivery.ack();
					acknowledged.countDown();
				});
				for (int i = 0; i < 4; i++) {
					adapter.send(message(event())).join();
				}
				Awaits.await(WAIT, () -> started.size() == 4, () -> started.size() + " of 4 deliveries started");
				long xacksBefore = xackCalls(redis);
				redis.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("PAUSE"),
						bytes("10000"), bytes("WRITE")));
				try {
					release.countDown();
					assertThat(acknowledged.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
				}
				finally {
					redis.execute(
							(RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("UNPAUSE")));
				}
				Awaits.await(WAIT, () -> redis.opsForStream().pending("orders", "group").getTotalPendingMessages() == 0,
						"Entries stayed pending");
				assertThat(xackCalls(redis) - xacksBefore).as("XACK commands for 4 acknowledgements").isEqualTo(2);
				subscription.close(Duration.ofSeconds(1));
			}
			finally {
				factory.destroy();
				admin.destroy();
			}
		}
	}

	@Test
	void anEntryWhoseXackFailedIsDeliveredAgainAndAcknowledgedOnceXackIsAllowed() {
		try (RedisServerProcess server = RedisServerProcess.withAclUser("no-xack", "pa55", "+@all", "-xack")) {
			LettuceConnectionFactory factory = server.connectionFactory("no-xack", "pa55", Duration.ofSeconds(5));
			LettuceConnectionFactory admin = server.connectionFactory(null, Duration.ofSeconds(5));
			StringRedisTemplate redis = new StringRedisTemplate(admin);
			try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory,
					RedisStreamSettings.of("node")
						.withPollTimeout(Duration.ofMillis(200))
						.withClaim(Duration.ofMillis(500), Duration.ofMillis(100)))) {
				List<Delivery> received = new CopyOnWriteArrayList<>();
				subscribe(adapter, 2, (delivery) -> {
					received.add(delivery);
					delivery.ack();
				});
				String entryId = adapter.send(message(event())).join().position();
				Awaits.await(WAIT, () -> !received.isEmpty(), "Nothing was delivered");
				redis.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"),
						bytes("no-xack"), bytes("+xack")));
				Awaits.await(WAIT, () -> redis.opsForStream().pending("orders", "group").getTotalPendingMessages() == 0,
						() -> "The entry was not acknowledged after XACK was allowed: " + received);
				assertThat(received).hasSizeGreaterThanOrEqualTo(2)
					.extracting(Delivery::messageId)
					.containsOnly(entryId);
			}
			finally {
				factory.destroy();
				admin.destroy();
			}
		}
	}

	@Test
	void aFactoryThatDoesNotShareItsNativeConnectionSendsAndAcknowledges() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = server.connectionFactory(null, Duration.ofSeconds(5));
			factory.setShareNativeConnection(false);
			StringRedisTemplate redis = new StringRedisTemplate(factory);
			try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory,
					RedisStreamSettings.of("node").withPollTimeout(Duration.ofMillis(200)))) {
				List<Delivery> received = new CopyOnWriteArrayList<>();
				Subscription subscription = subscribe(adapter, 4, (delivery) -> {
					received.add(delivery);
					delivery.ack();
				});
				List<CompletableFuture<SendResult>> sends = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					sends.add(adapter.send(message(event())));
				}
				assertThat(sends).allSatisfy((send) -> assertThat(send.join().position()).isNotNull());
				Awaits.await(WAIT, () -> received.size() >= 200, () -> received.size() + " of 200 delivered");
				subscription.close(Duration.ofSeconds(5));
				assertThat(redis.opsForStream().pending("orders", "group").getTotalPendingMessages())
					.as("entries left unacknowledged after close")
					.isZero();
			}
			finally {
				factory.destroy();
			}
		}
	}

	private static Subscription subscribe(RedisEventBusAdapter adapter, int concurrency, DeliveryListener listener) {
		Subscription subscription = adapter
			.subscribe(new SubscriptionSpec("orders", "group", "handler", concurrency, 3), listener);
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Subscription did not start");
		return subscription;
	}

	private static long xackCalls(StringRedisTemplate redis) {
		Properties stats = redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String xack = (stats != null) ? stats.getProperty("cmdstat_xack") : null;
		if (xack == null) {
			return 0;
		}
		return Long.parseLong(xack.substring("calls=".length(), xack.indexOf(',')));
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Event<Map<String, Object>> event() {
		return new Event<>(UUID.randomUUID().toString(), "order.created", "urn:test", Instant.now(), "order-1", null,
				null, Map.of(), Map.of("amount", 1));
	}

	private OutboundMessage message(Event<?> event) {
		return OutboundMessage.ofEvent("orders", event, this.codec);
	}

}
