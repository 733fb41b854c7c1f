package dev.eventbus.test.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.Retry;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.runtime.HandlerRegistration;
import dev.eventbus.runtime.SubscribeOptions;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;
import dev.eventbus.test.conformance.SettlementRecordingAdapter.Settlement;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 24 to 27, through the runtime: the handlers of one group on one
 * destination share one subscription, each event is settled once for all of them, a
 * failing handler's retries re-run only that handler, order per subject holds across
 * them, and a handler subscribed in code receives until it is closed.
 */
final class SharedSubscriptionCases {

	private final ConformanceHarness harness;

	SharedSubscriptionCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	void oneHandlerFailsThenSucceeds() {
		String destination = this.harness.destination("shared-retry");
		SettlementRecordingAdapter adapter = new SettlementRecordingAdapter(this.harness.adapter(),
				this.harness.codec());
		FailsTwice failing = new FailsTwice();
		Steady steady = new Steady();
		EventBus bus = this.harness.startBus(adapter, destination, failing, steady);
		assertThat(bus.subscriptions()).as("subscriptions of two handlers of one group on one destination").hasSize(1);
		String id = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("n", 1)).subject("o-1").build())
			.eventId();
		Awaits.await(this.harness.receiveTimeout(), () -> failing.succeededAt.get() != 0,
				() -> "failing handler calls so far: " + failing.calls.get());
		Awaits.await(this.harness.receiveTimeout(), () -> lastIsAck(adapter.settlementsOfEvent(id)),
				() -> "settlements so far: " + adapter.settlementsOfEvent(id));
		List<Settlement> settlements = adapter.settlementsOfEvent(id);
		assertThat(failing.calls.get()).as("calls of the handler that fails twice").isEqualTo(3);
		assertThat(steady.handled.ids()).as("calls of the other handler").containsExactly(id);
		assertThat(steady.handled.events()).hasSize(1);
		assertThat(settlements).as("settlements: two retries, then one acknowledgement")
			.extracting(Settlement::acknowledged)
			.containsExactly(false, false, true);
		long ack = settlements.get(2).nanoTime();
		assertThat(ack).as("acknowledged after both handlers").isGreaterThanOrEqualTo(failing.succeededAt.get());
		assertThat(ack).isGreaterThanOrEqualTo(steady.handledAt.get());
	}

	void oneHandlerDeadLetters() {
		String destination = this.harness.destination("shared-dead-letter");
		List<EncodedMessage> deadLetters = new CopyOnWriteArrayList<>();
		this.harness.subscribe(this.harness.adapter(), destination + ".dlq", this.harness.group("dlq-reader"), 1,
				(delivery) -> {
					deadLetters.add(new EncodedMessage(delivery.headers(), delivery.body()));
					delivery.ack();
				});
		SettlementRecordingAdapter adapter = new SettlementRecordingAdapter(this.harness.adapter(),
				this.harness.codec());
		AlwaysFails failing = new AlwaysFails();
		Steady steady = new Steady();
		EventBus bus = this.harness.startBus(adapter, destination, failing, steady);
		String id = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("n", 1)).subject("o-1").build())
			.eventId();
		Awaits.await(this.harness.receiveTimeout(), () -> lastIsAck(adapter.settlementsOfEvent(id)),
				() -> "settlements so far: " + adapter.settlementsOfEvent(id));
		Awaits.await(this.harness.receiveTimeout(), () -> !deadLetters.isEmpty(), () -> "no dead letter");
		assertThat(deadLetters).hasSize(1);
		assertThat(deadLetters.get(0).headers()).containsEntry(FailureHeaders.HANDLER, "always-fails")
			.containsEntry(FailureHeaders.ATTEMPTS, "2");
		assertThat(steady.handled.events()).as("events of the handler that succeeded").hasSize(1);
		assertThat(adapter.settlementsOfEvent(id)).extracting(Settlement::acknowledged).containsExactly(false, true);
	}

	void orderAcrossHandlers() {
		String destination = this.harness.destination("shared-order");
		Ordered first = new Ordered();
		Ordered second = new Ordered();
		Ordered third = new Ordered();
		EventBus bus = this.harness.startBus(this.harness.adapter(), destination);
		List<HandlerRegistration> registrations = new ArrayList<>();
		int index = 0;
		for (Ordered handler : List.of(first, second, third)) {
			registrations.add(bus.subscribe("order.*", JsonNode.class, handler::on,
					SubscribeOptions.DEFAULTS.withId("ordered-" + index++).withConcurrency(4)));
		}
		assertThat(bus.subscriptions()).hasSize(1);
		this.harness.awaitRunning(bus);
		int subjects = 16;
		int perSubject = 20;
		for (int i = 0; i < perSubject; i++) {
			for (int subject = 0; subject < subjects; subject++) {
				bus.publisher()
					.publish(EventMessage.of("order.updated", Map.of("sequence", i)).subject("s-" + subject).build());
			}
		}
		for (Ordered handler : List.of(first, second, third)) {
			Awaits.await(this.harness.receiveTimeout(), () -> handler.count.get() >= subjects * perSubject,
					() -> "handled " + handler.count.get() + " of " + subjects * perSubject);
			handler.sequences.forEach(
					(subject, sequences) -> assertThat(sequences).as("sequences of subject %s", subject).isSorted());
		}
		registrations.forEach(HandlerRegistration::close);
	}

	void subscribeAndCloseInCode() {
		String destination = this.harness.destination("in-code");
		EventBus bus = this.harness.startBus(this.harness.adapter(), destination, new Steady());
		EventRecorder received = new EventRecorder();
		HandlerRegistration registration = bus.subscribe("order.*", JsonNode.class, received::record,
				SubscribeOptions.DEFAULTS.withId("in-code").withIsolated(true));
		assertThat(registration.handler().id()).isEqualTo("in-code");
		assertThat(bus.subscriptions()).hasSize(2);
		this.harness.awaitRunning(bus);
		String first = bus.publisher().publish(EventMessage.of("order.created", Map.of("n", 1)).build()).eventId();
		this.harness.awaitIds("events of the handler subscribed in code", received, List.of(first),
				this.harness.receiveTimeout());
		registration.close();
		assertThat(bus.subscriptions()).as("the isolated subscription closes with its only handler").hasSize(1);
		assertThat(bus.handlers()).extracting((handler) -> handler.id()).doesNotContain("in-code");
		Steady steady = new Steady();
		HandlerRegistration other = bus.subscribe("order.*", JsonNode.class, (event) -> steady.on(event),
				SubscribeOptions.DEFAULTS.withId("after-close"));
		String second = bus.publisher().publish(EventMessage.of("order.created", Map.of("n", 2)).build()).eventId();
		this.harness.awaitIds("events after the close", steady.handled, List.of(second), this.harness.receiveTimeout());
		assertThat(received.ids()).as("events of the closed handler").containsExactly(first);
		other.close();
	}

	private static boolean lastIsAck(List<Settlement> settlements) {
		return !settlements.isEmpty() && settlements.get(settlements.size() - 1).acknowledged();
	}

	static final class FailsTwice {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicLong succeededAt = new AtomicLong();

		@EventHandler(id = "fails-twice", types = "order.*", retry = @Retry(maxRetries = 3, delay = "20ms"))
		void on(Event<JsonNode> event) {
			if (this.calls.incrementAndGet() <= 2) {
				throw new IllegalStateException("conformance: failure " + this.calls.get());
			}
			this.succeededAt.set(System.nanoTime());
		}

	}

	static final class AlwaysFails {

		@EventHandler(id = "always-fails", types = "order.*", retry = @Retry(maxRetries = 1, delay = "20ms"))
		void on(Event<JsonNode> event) {
			throw new IllegalStateException("conformance: always fails");
		}

	}

	static final class Steady {

		final EventRecorder handled = new EventRecorder();

		final AtomicLong handledAt = new AtomicLong();

		@EventHandler(id = "steady", types = "order.*")
		void on(Event<JsonNode> event) {
			this.handled.record(event);
			this.handledAt.set(System.nanoTime());
		}

	}

	static final class Ordered {

		final Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();

		final AtomicInteger count = new AtomicInteger();

		void on(Event<JsonNode> event) {
			this.sequences.computeIfAbsent(event.subject(), (subject) -> new CopyOnWriteArrayList<>())
				.add(event.payload().path("sequence").asInt());
			this.count.incrementAndGet();
		}

	}

}
