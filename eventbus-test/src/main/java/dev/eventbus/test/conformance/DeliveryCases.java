package dev.eventbus.test.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.api.Extensions;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance cases 1 to 5: round trip, competing consumers, destination isolation,
 * redelivery after failure and no commit on failure. All at SPI level; every subscription
 * is opened before the events are published, so they also hold for adapters that are not
 * persistent.
 */
final class DeliveryCases {

	private final ConformanceHarness harness;

	DeliveryCases(ConformanceHarness harness) {
		this.harness = harness;
	}

	void roundTrip() {
		String destination = this.harness.destination("round-trip");
		EventRecorder recorder = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("round-trip"), 4,
				this.harness.recording(recorder));
		List<Event<Map<String, Object>>> sent = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Map<String, Object> payload = Map.of("sequence", i, "name", "event " + i, "amount", 12.5 + i, "tags",
					List.of("a", "b" + i), "nested", Map.of("even", i % 2 == 0, "text", "\u00e9t\u00e9 \"quoted\""));
			sent.add(new Event<>(UUID.randomUUID().toString(), "conformance.round-trip", ConformanceHarness.SOURCE,
					Instant.now(), "subject-" + (i % 10), "correlation-" + i, "causation-" + i,
					Map.of("tenant", "tenant-" + (i % 3), "trace", "trace-" + i), payload));
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, sent);
		this.harness.awaitIds("round trip", recorder, ids, this.harness.receiveTimeout());
		ConformanceHarness.assertSameIds("round trip", ids, recorder.ids());
		Map<String, Event<?>> received = new HashMap<>();
		recorder.events().forEach((event) -> received.put(event.id(), event));
		for (Event<Map<String, Object>> expected : sent) {
			Event<?> actual = received.get(expected.id());
			String what = "event " + expected.id();
			assertThat(actual.type()).as(what + " type").isEqualTo(expected.type());
			assertThat(actual.source()).as(what + " source").isEqualTo(expected.source());
			assertThat(actual.time()).as(what + " time").isEqualTo(expected.time());
			assertThat(actual.subject()).as(what + " subject").isEqualTo(expected.subject());
			assertThat(actual.correlationId()).as(what + " correlation id").isEqualTo(expected.correlationId());
			assertThat(actual.causationId()).as(what + " causation id").isEqualTo(expected.causationId());
			assertThat(actual.headers()).as(what + " headers").isEqualTo(expected.headers());
			assertThat(this.harness.tree(actual.payload())).as(what + " payload")
				.isEqualTo(this.harness.tree(expected.payload()));
		}
	}

	void contentTypesAndAbsentTime() {
		String destination = this.harness.destination("content-types");
		EventRecorder recorder = new EventRecorder();
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("content-types"), 1,
				(delivery) -> {
					Event<?> event = delivery.event();
					recorder.record((event != null) ? event
							: this.harness.codec().decodeEnvelope(delivery.headers(), delivery.body(), "test"));
					delivery.ack();
				});
		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 10 };
		Event<String> text = new Event<>(UUID.randomUUID().toString(), "conformance.text", ConformanceHarness.SOURCE,
				null, "subject-1", null, null, Extensions.of(Map.of("channel", "web", "priority", 5, "urgent", true)),
				"text/plain", "\u00e9t\u00e9 \"quoted\"");
		Event<byte[]> bytes = new Event<>(UUID.randomUUID().toString(), "conformance.bytes", ConformanceHarness.SOURCE,
				Instant.now(), "subject-2", null, null, Map.of(), "image/png", image);
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, List.of(text, bytes));
		this.harness.awaitIds("content types", recorder, ids, this.harness.receiveTimeout());
		Map<String, Event<?>> received = new HashMap<>();
		recorder.events().forEach((event) -> received.put(event.id(), event));
		Event<?> readText = received.get(text.id());
		assertThat(readText.dataContentType()).as("text content type").isEqualTo("text/plain");
		assertThat(readText.payload()).as("text data").isEqualTo(text.payload());
		assertThat(readText.time()).as("an event without time keeps none").isNull();
		assertThat(readText.headers()).as("text headers").isEqualTo(text.headers());
		boolean structured = this.harness.adapter().capabilities().contentMode() == ContentMode.STRUCTURED;
		assertThat(readText.extension("priority")).as("an integer extension, typed in structured mode")
			.isEqualTo(structured ? 5 : "5");
		assertThat(readText.extension("urgent")).as("a boolean extension, typed in structured mode")
			.isEqualTo(structured ? true : "true");
		Event<?> readBytes = received.get(bytes.id());
		assertThat(readBytes.dataContentType()).as("binary content type").isEqualTo("image/png");
		assertThat(readBytes.payload()).as("binary data").isEqualTo(image);
	}

	void competingConsumers() {
		String destination = this.harness.destination("competing");
		String group = this.harness.group("competing");
		EventRecorder recorder = new EventRecorder();
		for (int consumer = 0; consumer < 5; consumer++) {
			EventBusAdapter instance = (consumer == 0) ? this.harness.adapter() : this.harness.newInstance();
			this.harness.subscribe(instance, destination, group, 4, this.harness.recording(recorder));
		}
		ExecutorService publishers = Executors.newFixedThreadPool(10);
		try {
			List<CompletableFuture<List<String>>> threads = new ArrayList<>();
			for (int thread = 0; thread < 10; thread++) {
				int publisher = thread;
				threads.add(CompletableFuture.supplyAsync(() -> {
					List<Event<Map<String, Object>>> events = new ArrayList<>();
					for (int i = 0; i < 500; i++) {
						events.add(this.harness.event("publisher-" + publisher + "-" + (i % 20), i));
					}
					return this.harness.publishAll(this.harness.adapter(), destination, events);
				}, publishers));
			}
			List<String> ids = new ArrayList<>();
			for (CompletableFuture<List<String>> thread : threads) {
				ids.addAll(this.harness.await(thread, "publisher thread"));
			}
			this.harness.awaitIds("competing consumers", recorder, ids, this.harness.receiveTimeout());
			ConformanceHarness.assertSameIds("competing consumers", ids, recorder.ids());
		}
		finally {
			publishers.shutdownNow();
		}
	}

	void destinationIsolation() {
		int destinations = 20;
		List<String> names = new ArrayList<>();
		List<EventRecorder> recorders = new ArrayList<>();
		Set<String> misrouted = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < destinations; i++) {
			String destination = this.harness.destination("isolation-" + i);
			EventRecorder recorder = new EventRecorder();
			names.add(destination);
			recorders.add(recorder);
			DeliveryListener recording = this.harness.recording(recorder);
			this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("isolation-" + i), 2,
					(delivery) -> {
						if (!destination.equals(delivery.destination())) {
							misrouted.add(delivery.destination() + " on subscription to " + destination);
						}
						recording.onDelivery(delivery);
					});
		}
		List<List<String>> sent = new ArrayList<>();
		List<List<Event<Map<String, Object>>>> events = new ArrayList<>();
		for (int i = 0; i < destinations; i++) {
			events.add(new ArrayList<>());
		}
		for (int n = 0; n < 100; n++) {
			for (int i = 0; i < destinations; i++) {
				events.get(i).add(this.harness.event("subject-" + (n % 10), n));
			}
		}
		for (int i = 0; i < destinations; i++) {
			sent.add(this.harness.publishAll(this.harness.adapter(), names.get(i), events.get(i)));
		}
		for (int i = 0; i < destinations; i++) {
			this.harness.awaitIds(names.get(i), recorders.get(i), sent.get(i), this.harness.receiveTimeout());
		}
		for (int i = 0; i < destinations; i++) {
			ConformanceHarness.assertSameIds(names.get(i), sent.get(i), recorders.get(i).ids());
		}
		assertThat(misrouted).as("deliveries reporting another destination").isEmpty();
	}

	void redeliveryAfterFailure(Duration redeliveryTimeout) {
		String destination = this.harness.destination("redelivery");
		EventRecorder handled = new EventRecorder();
		ConcurrentMap<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
		ConcurrentMap<String, Integer> handledAttempt = new ConcurrentHashMap<>();
		this.harness.subscribe(this.harness.adapter(), destination, this.harness.group("redelivery"), 4, (delivery) -> {
			Event<?> event = this.harness.decode(delivery);
			int delivered = deliveries.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet();
			int sequence = this.harness.sequence(event);
			if (failsByRetry(sequence) && delivered <= 2) {
				delivery.retry(Duration.ofMillis(10));
				return;
			}
			handledAttempt.put(event.id(), delivery.attempt());
			handled.record(event);
			delivery.ack();
		});
		List<Event<Map<String, Object>>> events = new ArrayList<>();
		List<String> failing = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Event<Map<String, Object>> event = this.harness.event("subject-" + (i % 10), i);
			events.add(event);
			if (failsByRetry(i)) {
				failing.add(event.id());
			}
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, events);
		this.harness.awaitIds("redelivery after failure", handled, ids,
				this.harness.receiveTimeout().plus(redeliveryTimeout));
		ConformanceHarness.assertSameIds("redelivery after failure", ids, handled.ids());
		for (String id : failing) {
			assertThat(deliveries.get(id).get()).as("deliveries of failing event " + id).isGreaterThanOrEqualTo(3);
			assertThat(handledAttempt.get(id)).as("attempt() of the delivery that succeeded for " + id)
				.isGreaterThanOrEqualTo(3);
		}
	}

	private static boolean failsByRetry(int sequence) {
		return sequence % 5 == 0 || sequence % 7 == 0;
	}

	void noCommitOnFailure(Duration redeliveryTimeout) {
		String destination = this.harness.destination("no-commit");
		String group = this.harness.group("no-commit");
		EventBusAdapter failingInstance = this.harness.newInstance();
		AtomicInteger failures = new AtomicInteger();
		DeliveryListener failing = (delivery) -> {
			failures.incrementAndGet();
			delivery.retry(Duration.ofMillis(20));
		};
		Subscription first = this.harness.subscribe(failingInstance, destination, group, 2, failing);
		Subscription second = this.harness.subscribe(failingInstance, destination, group, 2, failing);
		List<Event<Map<String, Object>>> events = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			events.add(this.harness.event("subject-" + i, i));
		}
		List<String> ids = this.harness.publishAll(this.harness.adapter(), destination, events);
		Awaits.await(this.harness.receiveTimeout(), () -> failures.get() >= 20,
				() -> "Failing consumers got only " + failures.get() + " deliveries");
		first.close(Duration.ofSeconds(1));
		second.close(Duration.ofSeconds(1));
		failingInstance.close();
		EventRecorder recorder = new EventRecorder();
		this.harness.subscribe(this.harness.newInstance(), destination, group, 4, this.harness.recording(recorder));
		this.harness.awaitIds("new consumer after failing ones closed", recorder, ids,
				this.harness.receiveTimeout().plus(redeliveryTimeout));
		ConformanceHarness.assertSameIds("new consumer after failing ones closed", ids, recorder.ids());
	}

}
