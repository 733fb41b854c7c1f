package dev.eventbus.redis;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.Retry;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event bus runtime on the Redis Streams adapter: a failing handler is retried and
 * then dead-lettered to {@code <destination>.dlq}, and entries the bus cannot decode are
 * dead-lettered at once without blocking the entries behind them.
 */
class RedisEventBusTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisServerProcess server;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	private final String destination = "orders-" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisEventBusAdapter adapter = new RedisEventBusAdapter(connectionFactory,
			RedisStreamSettings.of("node-1").withPollTimeout(Duration.ofMillis(200)));

	private EventBus bus;

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

	@AfterEach
	void closeBus() {
		if (this.bus != null) {
			this.bus.close();
		}
		this.adapter.close();
	}

	@Test
	void failingHandlerIsRetriedThenDeadLetteredAndCanBeReplayed() {
		OrderHandler handler = new OrderHandler();
		handler.failing.set(true);
		startBus(handler);
		String id = this.bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("amount", 1)).subject("order-1").build())
			.eventId();
		Awaits.await(WAIT, () -> redis.opsForStream().size(deadLetters()) == 1, "Nothing was dead-lettered");
		assertThat(handler.failures).hasSize(3);
		Map<Object, Object> fields = redis.opsForStream().range(deadLetters(), Range.unbounded()).get(0).getValue();
		assertThat(fields).containsEntry("id", id)
			.containsEntry("subject", "order-1")
			.containsEntry("h:" + FailureHeaders.ATTEMPTS, "3")
			.containsEntry("h:" + FailureHeaders.HANDLER, "orders")
			.containsEntry("h:" + FailureHeaders.EXCEPTION, IllegalStateException.class.getName())
			.containsEntry("h:" + FailureHeaders.DESTINATION, this.destination);
		Awaits.await(WAIT,
				() -> redis.opsForStream().pending(this.destination, consumerGroup()).getTotalPendingMessages() == 0,
				"The dead-lettered entry was not acknowledged in its group");
		List<DeadLetter> listed = this.bus.deadLetters().list(this.destination, 10);
		assertThat(listed).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.id()).isEqualTo(id);
			assertThat(deadLetter.attempts()).isEqualTo(3);
		});
		handler.failing.set(false);
		assertThat(this.bus.deadLetters().replayAll(this.destination)).isEqualTo(1);
		Awaits.await(WAIT, () -> handler.handled.contains(id), "The replayed event was not handled");
		assertThat(this.bus.deadLetters().list(this.destination, 10)).isEmpty();
	}

	@Test
	void undecodableEntriesAreDeadLetteredAtOnceWithoutBlockingLaterEvents() {
		OrderHandler handler = new OrderHandler();
		startBus(handler);
		redis.opsForStream()
			.add(StreamRecords.string(Map.of("note", "written by hand")).withStreamKey(this.destination));
		redis.opsForStream()
			.add(StreamRecords.string(Map.of("id", "broken", "event", "not JSON {")).withStreamKey(this.destination));
		String valid = this.bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("amount", 2)).subject("order-2").build())
			.eventId();
		Awaits.await(WAIT, () -> handler.handled.contains(valid), "The valid event behind the poison entries was lost");
		Awaits.await(WAIT, () -> redis.opsForStream().size(deadLetters()) == 2,
				"Poison entries were not dead-lettered");
		List<MapRecord<String, Object, Object>> entries = redis.opsForStream().range(deadLetters(), Range.unbounded());
		for (MapRecord<String, Object, Object> entry : entries) {
			assertThat(entry.getValue()).containsEntry("h:" + FailureHeaders.ATTEMPTS, "1")
				.containsEntry("h:" + FailureHeaders.EXCEPTION, EventDecodingException.class.getName());
		}
		assertThat(entries.get(0).getValue()).containsEntry("h:note", "written by hand");
		assertThat(entries.get(1).getValue()).containsEntry("event", "not JSON {");
		assertThat(handler.failures).isEmpty();
	}

	@Test
	void anEventTheCloudEventsSdkWritesReachesAHandlerWithItsDataContentTypeAndExtensions() {
		NoteHandler handler = new NoteHandler();
		startBus(handler);
		CloudEvent note = CloudEventBuilder.v1()
			.withId("note-1")
			.withSource(URI.create("urn:sdk"))
			.withType("note.added")
			.withExtension("channel", "mobile")
			.withExtension("priority", 5)
			.withExtension("urgent", true)
			.withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8))
			.build();
		String structured = new String(new JsonFormat().serialize(note), StandardCharsets.UTF_8);
		redis.opsForStream()
			.add(StreamRecords.string(Map.of("id", "note-1", "event", structured)).withStreamKey(this.destination));
		Awaits.await(WAIT, () -> handler.notes.size() == 1, "The SDK's event was not handled");
		Event<String> received = handler.notes.get(0);
		assertThat(received.payload()).isEqualTo("hello");
		assertThat(received.dataContentType()).isEqualTo("text/plain");
		assertThat(received.header("channel")).isEqualTo("mobile");
		assertThat(received.extension("priority")).isEqualTo(5);
		assertThat(received.extension("urgent")).isEqualTo(true);
		assertThat(received.header("priority")).isEqualTo("5");
		assertThat(received.time()).isNull();
	}

	private void startBus(Object handler) {
		this.bus = EventBus.builder()
			.adapter(this.adapter)
			.source("urn:test")
			.defaultGroup(group())
			.defaultDestination(this.destination)
			.sendTimeout(WAIT)
			.shutdownTimeout(Duration.ofSeconds(5))
			.build();
		this.bus.registerHandlers("orderHandler", handler);
		this.bus.start();
		Awaits.await(WAIT,
				() -> this.bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				"The bus did not start");
	}

	private String group() {
		return "group-" + this.destination;
	}

	private String consumerGroup() {
		return this.bus.subscriptions().get(0).group();
	}

	private String deadLetters() {
		return this.destination + ".dlq";
	}

	static final class NoteHandler {

		final List<Event<String>> notes = new CopyOnWriteArrayList<>();

		@EventHandler(types = "note.added")
		void on(Event<String> event) {
			this.notes.add(event);
		}

	}

	static final class OrderHandler {

		final AtomicBoolean failing = new AtomicBoolean();

		final List<String> handled = new CopyOnWriteArrayList<>();

		final List<String> failures = new CopyOnWriteArrayList<>();

		@EventHandler(id = "orders", types = "order.*",
				retry = @Retry(maxRetries = 2, delay = "20ms", multiplier = 2, maxDelay = "100ms"))
		void on(Event<JsonNode> event) {
			if (this.failing.get()) {
				this.failures.add(event.id());
				throw new IllegalStateException("handler fails on purpose");
			}
			this.handled.add(event.id());
		}

	}

}
