package dev.eventbus.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter on servers that require authentication: a password ({@code requirepass})
 * and an ACL user. Credentials come from the connection factory, as Spring Boot's
 * {@code spring.data.redis.*} configures it.
 */
class RedisAuthTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	@Test
	void passwordProtectedServerWorksWithThePasswordAndRefusesWithout() {
		try (RedisServerProcess server = RedisServerProcess.withPassword("s3cret")) {
			LettuceConnectionFactory authenticated = server.connectionFactory("s3cret", Duration.ofSeconds(5));
			LettuceConnectionFactory anonymous = server.connectionFactory(null, Duration.ofSeconds(5));
			try {
				assertRoundTrip(authenticated);
				try (RedisEventBusAdapter refused = new RedisEventBusAdapter(anonymous,
						RedisStreamSettings.of("node"))) {
					AdapterHealth health = refused.health();
					assertThat(health.up()).isFalse();
					assertThat(health.details().get("error").toString()).contains("NOAUTH");
					assertThat(health.details().toString()).doesNotContain("s3cret");
					assertThatThrownBy(() -> refused.send(message("orders", event())).join())
						.isInstanceOf(CompletionException.class)
						.hasCauseInstanceOf(PublishException.class)
						.hasStackTraceContaining("NOAUTH");
				}
			}
			finally {
				authenticated.destroy();
				anonymous.destroy();
			}
		}
	}

	@Test
	void aclUserWorksWithItsPassword() {
		try (RedisServerProcess server = RedisServerProcess.withAclUser("eventbus", "pa55")) {
			LettuceConnectionFactory factory = server.connectionFactory("eventbus", "pa55", Duration.ofSeconds(5));
			try {
				assertRoundTrip(factory);
			}
			finally {
				factory.destroy();
			}
		}
	}

	private void assertRoundTrip(LettuceConnectionFactory factory) {
		try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(factory,
				RedisStreamSettings.of("node").withPollTimeout(Duration.ofMillis(200)))) {
			assertThat(adapter.health().up()).isTrue();
			List<String> received = new CopyOnWriteArrayList<>();
			Subscription subscription = adapter.subscribe(new SubscriptionSpec("orders", "group", "handler", 1, 3),
					(delivery) -> {
						received.add(this.codec.decode(delivery.headers(), delivery.body(), "test").id());
						delivery.ack();
					});
			Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING, "Subscription did not start");
			Event<Map<String, Object>> event = event();
			adapter.send(message("orders", event)).join();
			Awaits.await(WAIT, () -> received.contains(event.id()), "The event did not arrive");
			subscription.close(Duration.ofSeconds(1));
		}
	}

	private static Event<Map<String, Object>> event() {
		return new Event<>(UUID.randomUUID().toString(), "order.created", "urn:test", Instant.now(), "order-1", null,
				null, Map.of(), Map.of("amount", 1));
	}

	private OutboundMessage message(String destination, Event<?> event) {
		return OutboundMessage.ofEvent(destination, event, this.codec);
	}

}
