package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.TraceContextConformance;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Trace context across a real Redis Streams hop: the entry field {@code h:traceparent}
 * written by the bus, and a plain {@code traceparent} field written by another producer,
 * read and written with spring-data-redis's plain template.
 */
class RedisTraceContextTest extends TraceContextConformance {

	private static final RedisStreamSettings SETTINGS = RedisStreamSettings.of("tracing")
		.withPollTimeout(Duration.ofMillis(200));

	private static @Nullable RedisServerProcess server;

	private static @Nullable LettuceConnectionFactory connectionFactory;

	private static @Nullable StringRedisTemplate redis;

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.start();
		connectionFactory = server.connectionFactory(null, Duration.ofSeconds(5));
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopServer() {
		connectionFactory.destroy();
		server.close();
	}

	@Override
	protected EventBusAdapter createAdapter() {
		return new RedisEventBusAdapter(connectionFactory, SETTINGS);
	}

	@Override
	protected List<String> readTraceparents(String destination, String eventId) {
		List<MapRecord<String, Object, Object>> entries = redis.opsForStream()
			.range(SETTINGS.keyPrefix() + destination, Range.unbounded());
		for (MapRecord<String, Object, Object> entry : entries) {
			if (eventId.equals(entry.getValue().get("id"))) {
				List<String> values = new ArrayList<>();
				entry.getValue().forEach((field, value) -> {
					if (field.equals("traceparent") || field.equals("h:traceparent")) {
						values.add((String) value);
					}
				});
				return values;
			}
		}
		throw new AssertionError("No entry of event " + eventId + " on " + destination + ": " + entries);
	}

	@Override
	protected void sendForeign(String destination, String type, String traceparent) {
		String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
				+ "\",\"source\":\"urn:foreign\",\"type\":\"" + type + "\",\"data\":{\"amount\":1}}";
		redis.opsForStream()
			.add(StreamRecords.mapBacked(Map.of("event", event, "traceparent", traceparent))
				.withStreamKey(SETTINGS.keyPrefix() + destination));
	}

}
