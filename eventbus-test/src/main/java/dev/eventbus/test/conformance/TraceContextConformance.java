package dev.eventbus.test.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.PublishResult;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.SubscribeOptions;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.tracing.InMemoryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that W3C trace context crosses a real broker hop: the bus runs with Micrometer
 * Tracing on an in-memory span exporter ({@link InMemoryTracing}), and a subclass reads
 * and writes raw messages with the broker's plain client. Checked: the producer span of a
 * publish and the consumer span of its handling share one trace, the consumer span a
 * child of the producer span; a handler that publishes continues the trace; the raw
 * message carries exactly one well-formed {@code traceparent} in the transport's own
 * place, the producer span's; a {@code traceparent} written by a plain client is
 * continued.
 */
public abstract class TraceContextConformance {

	private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private static final AttributeKey<String> TYPE_KEY = AttributeKey.stringKey("type");

	private static final String FOREIGN_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String FOREIGN_SPAN_ID = "00f067aa0ba902b7";

	private final InMemoryTracing tracing = new InMemoryTracing();

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private @Nullable EventBus bus;

	/**
	 * A new adapter on the broker under test; closed after each case.
	 * @return the adapter
	 */
	protected abstract EventBusAdapter createAdapter();

	/**
	 * Read, with the broker's plain client, every {@code traceparent} the transport
	 * carries for one message: record headers, message attributes or entry fields named
	 * so, however many there are.
	 * @param destination the destination the message was published to
	 * @param eventId the id of the event the message carries
	 * @return the values, as many as the message has
	 */
	protected abstract List<String> readTraceparents(String destination, String eventId);

	/**
	 * Send, with the broker's plain client, a CloudEvent of this type in the form a
	 * producer outside this library would write it, with this {@code traceparent} in the
	 * transport's own place.
	 * @param destination the destination
	 * @param type the event type
	 * @param traceparent the W3C trace parent
	 */
	protected abstract void sendForeign(String destination, String type, String traceparent);

	/**
	 * Make the destination keep the next message for {@link #readTraceparents}, where a
	 * message published without subscribers would not be kept. Does nothing by default.
	 * @param destination the destination
	 */
	protected void keepMessagesOf(String destination) {
	}

	/**
	 * The longest wait for a message to arrive or a span to finish.
	 * @return the timeout
	 */
	protected Duration timeout() {
		return Duration.ofSeconds(30);
	}

	@AfterEach
	void closeBus() {
		if (this.bus != null) {
			this.bus.close();
			this.bus.adapter().close();
		}
		this.tracing.close();
	}

	@Test
	void consumerSpanIsAChildOfTheProducerSpanAndAHandlerThatPublishesContinuesTheTrace() {
		String destination = "trace-chain-" + this.suffix;
		EventBus bus = bus(destination);
		bus.subscribe("trace.first", Map.class, (event) -> bus.publisher().publish("trace.second", Map.of("step", 2)),
				SubscribeOptions.DEFAULTS.withId("first"));
		bus.subscribe("trace.second", Map.class, (event) -> {
		}, SubscribeOptions.DEFAULTS.withId("second"));
		start(bus);

		bus.publisher().publish("trace.first", Map.of("step", 1));

		SpanData firstSend = span(SpanKind.PRODUCER, "trace.first");
		SpanData firstProcess = span(SpanKind.CONSUMER, "trace.first");
		SpanData secondSend = span(SpanKind.PRODUCER, "trace.second");
		SpanData secondProcess = span(SpanKind.CONSUMER, "trace.second");
		assertThat(List.of(firstProcess, secondSend, secondProcess)).extracting(SpanData::getTraceId)
			.containsOnly(firstSend.getTraceId());
		assertThat(firstProcess.getParentSpanId()).isEqualTo(firstSend.getSpanId());
		assertThat(secondSend.getParentSpanId()).isEqualTo(firstProcess.getSpanId());
		assertThat(secondProcess.getParentSpanId()).isEqualTo(secondSend.getSpanId());
	}

	@Test
	void rawMessageCarriesExactlyOneWellFormedTraceparentOfTheProducerSpan() {
		String destination = "trace-raw-" + this.suffix;
		keepMessagesOf(destination);
		EventBus bus = bus(destination);
		start(bus);

		PublishResult published = bus.publisher()
			.publish(EventMessage.of("trace.raw", Map.of("step", 1)).destination(destination).build());

		SpanData send = span(SpanKind.PRODUCER, "trace.raw");
		List<String> traceparents = readTraceparents(destination, published.eventId());
		assertThat(traceparents).singleElement().satisfies((traceparent) -> {
			assertThat(traceparent).matches(TRACEPARENT);
			assertThat(traceparent).isEqualTo(InMemoryTracing.traceparent(send));
		});
	}

	@Test
	void traceparentWrittenByAPlainClientIsContinued() {
		String destination = "trace-foreign-" + this.suffix;
		EventBus bus = bus(destination);
		bus.subscribe("trace.foreign", Map.class, (event) -> {
		}, SubscribeOptions.DEFAULTS.withId("foreign"));
		start(bus);

		sendForeign(destination, "trace.foreign", "00-" + FOREIGN_TRACE_ID + "-" + FOREIGN_SPAN_ID + "-01");

		SpanData process = span(SpanKind.CONSUMER, "trace.foreign");
		assertThat(process.getTraceId()).isEqualTo(FOREIGN_TRACE_ID);
		assertThat(process.getParentSpanId()).isEqualTo(FOREIGN_SPAN_ID);
	}

	@Test
	void batchSpanLinksToTheProducerSpanOfEveryEventInTheBatch() {
		String destination = "trace-batch-" + this.suffix;
		EventBus bus = bus(destination);
		bus.registerHandlers("batch", new BatchHandler());
		start(bus);

		for (int i = 0; i < 3; i++) {
			bus.publisher().publish("trace.batch", Map.of("step", i));
		}

		Awaits.await(timeout(), () -> links(SpanKind.CONSUMER, "trace.batch").size() == 3,
				() -> "links of the batch spans so far: " + links(SpanKind.CONSUMER, "trace.batch"));
		List<String> producers = spans(SpanKind.PRODUCER, "trace.batch").stream()
			.map((span) -> span.getTraceId() + "/" + span.getSpanId())
			.toList();
		assertThat(producers).hasSize(3);
		assertThat(links(SpanKind.CONSUMER, "trace.batch")).containsExactlyInAnyOrderElementsOf(producers);
		assertThat(spans(SpanKind.CONSUMER, "trace.batch"))
			.allSatisfy((span) -> assertThat(producers).as("a batch span is no child of one of its events")
				.noneMatch((producer) -> producer.endsWith("/" + span.getParentSpanId())));
	}

	private List<SpanData> spans(SpanKind kind, String type) {
		return this.tracing.finishedSpans()
			.stream()
			.filter((span) -> span.getKind() == kind && type.equals(span.getAttributes().get(TYPE_KEY)))
			.toList();
	}

	private List<String> links(SpanKind kind, String type) {
		return spans(kind, type).stream()
			.flatMap((span) -> span.getLinks().stream())
			.map((link) -> link.getSpanContext().getTraceId() + "/" + link.getSpanContext().getSpanId())
			.toList();
	}

	/**
	 * A batch handler that takes every event of type {@code trace.batch}.
	 */
	static final class BatchHandler {

		@EventHandler(id = "batch", types = "trace.batch", maxBatchSize = 10, maxBatchWait = "300ms")
		void on(List<Map<String, Object>> events) {
		}

	}

	private EventBus bus(String destination) {
		EventBus created = EventBus.builder()
			.adapter(createAdapter())
			.source("urn:eventbus:tracing")
			.defaultGroup("tracing-" + this.suffix)
			.defaultDestination(destination)
			.observationRegistry(this.tracing.observationRegistry())
			.sendTimeout(timeout())
			.shutdownTimeout(Duration.ofSeconds(5))
			.build();
		this.bus = created;
		return created;
	}

	private void start(EventBus bus) {
		bus.start();
		Awaits.await(timeout(),
				() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				() -> "Subscriptions did not start: " + bus.subscriptions());
	}

	private SpanData span(SpanKind kind, String type) {
		return this.tracing.awaitSpan(kind + " span of " + type,
				(span) -> span.getKind() == kind && type.equals(span.getAttributes().get(TYPE_KEY)), timeout());
	}

}
