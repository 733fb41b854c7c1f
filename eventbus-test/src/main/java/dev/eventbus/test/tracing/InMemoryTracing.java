package dev.eventbus.test.tracing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import dev.eventbus.runtime.BatchTracingObservationHandler;
import dev.eventbus.test.Awaits;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Micrometer Tracing on the OpenTelemetry SDK with W3C propagation and an in-memory span
 * exporter, wired as Spring Boot wires it: an {@link ObservationRegistry} whose producer
 * and consumer observations become spans that inject and extract {@code traceparent}
 * through the observation's carrier. Needs
 * {@code io.micrometer:micrometer-tracing-bridge-otel} and
 * {@code io.opentelemetry:opentelemetry-sdk-testing} on the test class path. Thread safe.
 */
public final class InMemoryTracing implements AutoCloseable {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	private final ObservationRegistry observationRegistry = ObservationRegistry.create();

	public InMemoryTracing() {
		io.opentelemetry.api.trace.Tracer otelTracer = this.tracerProvider.get("dev.eventbus.test");
		ContextPropagators propagators = ContextPropagators.create(W3CTraceContextPropagator.getInstance());
		OtelCurrentTraceContext currentTraceContext = new OtelCurrentTraceContext();
		OtelTracer tracer = new OtelTracer(otelTracer, currentTraceContext, (event) -> {
		}, new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
		OtelPropagator propagator = new OtelPropagator(propagators, otelTracer);
		this.observationRegistry.observationConfig()
			.observationHandler(
					new FirstMatchingCompositeObservationHandler(new BatchTracingObservationHandler(tracer, propagator),
							new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
							new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
							new DefaultTracingObservationHandler(tracer)));
	}

	/**
	 * The registry to give the bus.
	 * @return the registry
	 */
	public ObservationRegistry observationRegistry() {
		return this.observationRegistry;
	}

	/**
	 * The spans finished so far.
	 * @return the spans, in the order they finished
	 */
	public List<SpanData> finishedSpans() {
		return this.exporter.getFinishedSpanItems();
	}

	/**
	 * Wait until one finished span matches.
	 * @param description what the span is, for the failure message
	 * @param condition what it must match
	 * @param timeout the longest wait
	 * @return the first span matching
	 */
	public SpanData awaitSpan(String description, Predicate<SpanData> condition, Duration timeout) {
		Awaits.await(timeout, () -> finishedSpans().stream().anyMatch(condition),
				() -> "No finished span is " + description + "; spans: " + finishedSpans());
		return finishedSpans().stream().filter(condition).findFirst().orElseThrow();
	}

	/**
	 * The W3C {@code traceparent} of a span, as a producer writes it.
	 * @param span the span
	 * @return {@code 00-<trace id>-<span id>-<flags>}
	 */
	public static String traceparent(SpanData span) {
		return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
	}

	@Override
	public void close() {
		this.tracerProvider.close();
	}

}
