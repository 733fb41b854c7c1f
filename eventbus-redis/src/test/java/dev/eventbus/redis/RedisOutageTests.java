package dev.eventbus.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.eventbus.api.Event;
import dev.eventbus.api.PublishException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis outage: sends fail to the caller, health turns down quickly, the read loop
 * reports reconnecting and then resumes on its own, even when the restarted server lost
 * the group, logging the loss and the recovery once each rather than on every poll. An
 * XACK that Redis refuses is logged and its entry delivered again.
 */
class RedisOutageTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	@Test
	void outageFailsSendsTurnsHealthDownAndReadingResumesAfterwards() throws Exception {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = server.connectionFactory(null, Duration.ofSeconds(1));
			RedisStreamSettings settings = new RedisStreamSettings("node", "", 10, Duration.ofMillis(200),
					Duration.ofSeconds(30), Duration.ofSeconds(1), null, RedisStreamSettings.GroupStart.EARLIEST,
					Duration.ofMillis(500));
			ListAppender<ILoggingEvent> log = new ListAppender<>();
			Logger logger = (Logger) LoggerFactory.getLogger(StreamReader.class);
			log.start();
			logger.addAppender(log);
			try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory, settings)) {
				List<String> received = new CopyOnWriteArrayList<>();
				Subscription subscription = adapter.subscribe(new SubscriptionSpec("orders", "group", "handler", 2, 3),
						(delivery) -> {
							received.add(this.codec.decode(delivery.headers(), delivery.body(), "test").id());
							delivery.ack();
						});
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Did not start");
				Event<Map<String, Object>> before = event();
				adapter.send(message(before)).join();
				Awaits.await(WAIT, () -> received.contains(before.id()), "Event before the outage not received");

				server.stop();
				CompletableFuture<SendResult> duringOutage = adapter.send(message(event()));
				assertThatThrownBy(() -> duringOutage.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
					.isInstanceOf(ExecutionException.class)
					.hasCauseInstanceOf(PublishException.class);
				long start = System.nanoTime();
				AdapterHealth health = adapter.health();
				assertThat(health.up()).isFalse();
				assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RECONNECTING,
						() -> "Subscription is " + subscription.state() + " while Redis is down");
				assertThat(subscription.details()).containsKey("lastError");

				server.resume();
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
						() -> "Subscription is " + subscription.state() + " after Redis came back");
				assertThat(subscription.details()).doesNotContainKey("lastError");
				Event<Map<String, Object>> after = event();
				adapter.send(message(after)).join();
				Awaits.await(WAIT, () -> received.contains(after.id()), "Event after the outage not received");
				assertThat(adapter.health().up()).isTrue();
				subscription.close(Duration.ofSeconds(1));
				assertThat(log.list).filteredOn((entry) -> entry.getLevel() == Level.WARN)
					.as("warnings while Redis was down")
					.singleElement()
					.satisfies((entry) -> assertThat(entry.getFormattedMessage()).contains("lost Redis"));
				assertThat(log.list).filteredOn((entry) -> entry.getFormattedMessage().contains("reconnected"))
					.as("recovery messages")
					.hasSize(1);
			}
			finally {
				logger.detachAppender(log);
				factory.destroy();
			}
		}
	}

	@Test
	void aFailedAcknowledgementIsLoggedAndTheEntryIsDeliveredAgain() {
		try (RedisServerProcess server = RedisServerProcess.withAclUser("no-xack", "pa55", "+@all", "-xack")) {
			LettuceConnectionFactory factory = server.connectionFactory("no-xack", "pa55", Duration.ofSeconds(5));
			LettuceConnectionFactory admin = server.connectionFactory(null, Duration.ofSeconds(5));
			RedisStreamSettings settings = RedisStreamSettings.of("node")
				.withPollTimeout(Duration.ofMillis(200))
				.withClaim(Duration.ofMillis(500), Duration.ofMillis(100));
			ListAppender<ILoggingEvent> log = new ListAppender<>();
			Logger logger = (Logger) LoggerFactory.getLogger(StreamSubscription.class);
			log.start();
			logger.addAppender(log);
			try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory, settings)) {
				List<Delivery> received = new CopyOnWriteArrayList<>();
				Subscription subscription = adapter.subscribe(new SubscriptionSpec("orders", "group", "handler", 2, 3),
						(delivery) -> {
							received.add(delivery);
							delivery.ack();
						});
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Did not start");
				String entryId = adapter.send(message(event())).join().position();
				Awaits.await(WAIT, () -> received.size() >= 2,
						() -> "An entry whose XACK failed was not delivered again: " + received);
				assertThat(received).extracting(Delivery::messageId).containsOnly(entryId);
				assertThat(received.get(1).attempt()).isEqualTo(2);
				assertThat(log.list).filteredOn((entry) -> entry.getLevel() == Level.WARN)
					.first()
					.satisfies((entry) -> assertThat(entry.getFormattedMessage())
						.contains("Could not acknowledge 1 entries")
						.contains(entryId)
						.contains("delivered again"))
					.satisfies((entry) -> assertThat(entry.getThrowableProxy().getMessage()).contains("NOPERM"));
				assertThat(new StringRedisTemplate(admin).opsForStream()
					.pending("orders", "group")
					.getTotalPendingMessages()).as("entries pending after their XACK failed").isEqualTo(1);
				subscription.close(Duration.ofSeconds(1));
			}
			finally {
				logger.detachAppender(log);
				factory.destroy();
				admin.destroy();
			}
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
