package dev.eventbus.test.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 11 to 13, run through the runtime ({@link EventBus}) on the adapter
 * under test: wildcard types, retry then dead letter, and poison messages (dead-lettered
 * once for the whole subscription, which the dead letter names). Dead letters are read at
 * SPI level from the dead-letter destination, subscribed before anything fails, so
 * adapters without a dead-letter store and adapters that are not persistent pass too.
 */
final class RuntimeCases {

	private static final String DEAD_LETTER_SUFFIX = ".dlq";

	private final ConformanceHarness harness;

	RuntimeCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	void wildcardTypes() {
		String destination = this.harness.destination("wildcards");
		ConformanceHandlers.Wildcards handlers = new ConformanceHandlers.Wildcards();
		EventBus bus = startBus(destination, handlers);
		EventPublisher publisher = bus.publisher();
		for (String type : List.of("user.created", "photo.uploaded", "photo.processing.completed",
				"photo.processing.started")) {
			publisher.publish(type, Map.of("type", type));
		}
		Map<String, Integer> expected = Map.of("photos", 3, "processing", 2, "users", 1);
		expected.forEach((handler, count) -> Awaits.await(this.harness.receiveTimeout(),
				// handled (counted once the handler returned), not received (counted
				// before it runs)
				() -> bus.statistics().count(handler, Counter.HANDLED) >= count, () -> "Handler " + handler
						+ " did not handle its " + count + " events: " + bus.statistics().perHandler()));
		assertThat(types(handlers.photos)).as("types received by photo.*")
			.containsExactlyInAnyOrder("photo.uploaded", "photo.processing.completed", "photo.processing.started");
		assertThat(types(handlers.processing)).as("types received by *.processing.*")
			.containsExactlyInAnyOrder("photo.processing.completed", "photo.processing.started");
		assertThat(types(handlers.users)).as("types received by user.created").containsExactly("user.created");
	}

	private static List<String> types(EventRecorder recorder) {
		return recorder.events().stream().map(Event::type).toList();
	}

	void retryThenDeadLetter() {
		String destination = this.harness.destination("dead-letter");
		List<EncodedMessage> deadLetters = readDeadLetters(destination);
		ConformanceHandlers.Failing handler = new ConformanceHandlers.Failing();
		EventBus bus = startBus(destination, handler);
		EventPublisher publisher = bus.publisher();
		String failing = publisher
			.publish(EventMessage.of("order.failing", Map.of("fail", true)).subject("order-1").build())
			.eventId();
		String sameSubject = publisher
			.publish(EventMessage.of("order.created", Map.of("fail", false)).subject("order-1").build())
			.eventId();
		String otherSubject = publisher
			.publish(EventMessage.of("order.created", Map.of("fail", false)).subject("order-2").build())
			.eventId();
		this.harness.awaitIds("events published after the failing one", handler.handled,
				List.of(sameSubject, otherSubject), this.harness.receiveTimeout());
		Awaits.await(this.harness.receiveTimeout(), () -> deadLetters.size() >= 1, () -> "Nothing on " + destination
				+ DEAD_LETTER_SUFFIX + " after " + handler.failedCalls.size() + " failed calls");
		assertThat(handler.failedCalls).as("calls of a handler with maxAttempts 3").hasSize(3);
		long firstGap = TimeUnit.NANOSECONDS.toMillis(handler.failedCalls.get(1) - handler.failedCalls.get(0));
		long secondGap = TimeUnit.NANOSECONDS.toMillis(handler.failedCalls.get(2) - handler.failedCalls.get(1));
		assertThat(firstGap).as("ms between first and second call (initial interval 50ms)").isGreaterThanOrEqualTo(45);
		assertThat(secondGap).as("ms between second and third call (50ms x 2)").isGreaterThanOrEqualTo(90);
		assertThat(deadLetters).hasSize(1);
		EncodedMessage deadLetter = deadLetters.get(0);
		Map<String, String> headers = deadLetter.headers();
		assertThat(headers).containsEntry(FailureHeaders.EXCEPTION, IllegalStateException.class.getName())
			.containsEntry(FailureHeaders.MESSAGE, ConformanceHandlers.Failing.MESSAGE)
			.containsEntry(FailureHeaders.HANDLER, "failing")
			.containsEntry(FailureHeaders.ATTEMPTS, "3")
			.containsEntry(FailureHeaders.DESTINATION, destination);
		Instant firstFailure = Instant.parse(headers.get(FailureHeaders.FIRST_FAILURE));
		Instant lastFailure = Instant.parse(headers.get(FailureHeaders.LAST_FAILURE));
		assertThat(lastFailure).isAfterOrEqualTo(firstFailure);
		Event<?> original = this.harness.codec().decode(headers, deadLetter.body(), "test");
		assertThat(original.id()).isEqualTo(failing);
		assertThat(original.type()).isEqualTo("order.failing");
		assertThat(original.subject()).isEqualTo("order-1");
		if (this.harness.adapter().deadLetterStore().isPresent()) {
			List<DeadLetter> listed = bus.deadLetters().list(destination, 10);
			assertThat(listed).hasSize(1);
			assertThat(listed.get(0).id()).isEqualTo(failing);
			assertThat(listed.get(0).attempts()).isEqualTo(3);
			assertThat(listed.get(0).handler()).isEqualTo("failing");
			assertThat(listed.get(0).exception()).isEqualTo(IllegalStateException.class.getName());
		}
	}

	void poisonMessage() {
		String destination = this.harness.destination("poison");
		List<EncodedMessage> deadLetters = readDeadLetters(destination);
		ConformanceHandlers.PoisonTolerant handler = new ConformanceHandlers.PoisonTolerant();
		EventBus bus = startBus(destination, handler);
		byte[] notJson = "this is not JSON {".getBytes(StandardCharsets.UTF_8);
		byte[] noType = "{\"id\":\"poison-no-type\",\"data\":{\"amount\":1}}".getBytes(StandardCharsets.UTF_8);
		this.harness.await(
				this.harness.adapter()
					.send(OutboundMessage.raw(destination, "order-1", "poison-not-json", Map.of(), notJson)),
				"poison send");
		this.harness.await(
				this.harness.adapter()
					.send(OutboundMessage.raw(destination, "order-1", "poison-no-type", Map.of(), noType)),
				"poison send");
		List<String> valid = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			valid.add(bus.publisher()
				.publish(EventMessage.of("order.created", Map.of("sequence", i)).subject("order-1").build())
				.eventId());
		}
		this.harness.awaitIds("valid events behind poison messages", handler.handled, valid,
				this.harness.receiveTimeout());
		Awaits.await(this.harness.receiveTimeout(), () -> deadLetters.size() >= 2,
				() -> "Expected 2 poison messages on " + destination + DEAD_LETTER_SUFFIX + ", found "
						+ deadLetters.size());
		ConformanceHarness.assertSameIds("events handled", valid, handler.handled.ids());
		assertThat(deadLetters).hasSize(2);
		assertThat(deadLetters).extracting((message) -> new String(message.body(), StandardCharsets.UTF_8))
			.containsExactlyInAnyOrder(new String(notJson, StandardCharsets.UTF_8),
					new String(noType, StandardCharsets.UTF_8));
		for (EncodedMessage message : deadLetters) {
			assertThat(message.headers()).as("failure headers of a poison message")
				.containsEntry(FailureHeaders.ATTEMPTS, "1")
				.containsEntry(FailureHeaders.EXCEPTION, EventDecodingException.class.getName())
				.containsEntry(FailureHeaders.HANDLER, this.harness.group("conformance") + "@" + destination)
				.containsEntry(FailureHeaders.DESTINATION, destination)
				.containsKey(FailureHeaders.MESSAGE);
		}
	}

	private List<EncodedMessage> readDeadLetters(String destination) {
		List<EncodedMessage> messages = new CopyOnWriteArrayList<>();
		this.harness.subscribe(this.harness.adapter(), destination + DEAD_LETTER_SUFFIX,
				this.harness.group("dead-letter-reader"), 1, (delivery) -> {
					messages.add(new EncodedMessage(delivery.headers(), delivery.body()));
					delivery.ack();
				});
		return messages;
	}

	private EventBus startBus(String destination, Object handlers) {
		return this.harness.startBus(this.harness.adapter(), destination, handlers);
	}

}
