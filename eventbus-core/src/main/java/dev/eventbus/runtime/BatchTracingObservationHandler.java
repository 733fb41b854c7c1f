package dev.eventbus.runtime;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.eventbus.runtime.EventBusObservations.HandleContext;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * Makes the span of a batch handler's {@code eventbus.handle} observation link to the
 * trace context of every event in the batch (their W3C {@code traceparent} headers), as
 * OpenTelemetry's messaging conventions ask of batch processing: a batch has no single
 * parent. Other observations are left to the other tracing handlers. Register it ahead of
 * them; Spring Boot applications get it from the auto-configuration when they trace.
 */
public class BatchTracingObservationHandler extends PropagatingReceiverTracingObservationHandler<HandleContext> {

	private static final Pattern TRACEPARENT = Pattern
		.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");

	private final Tracer tracer;

	/**
	 * Create a handler.
	 * @param tracer the tracer
	 * @param propagator the propagator
	 */
	public BatchTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
		this.tracer = tracer;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof HandleContext handle && !handle.getBatchHeaders().isEmpty();
	}

	@Override
	public Span.Builder customizeExtractedSpan(HandleContext context, Span.Builder builder) {
		for (Map<String, String> headers : context.getBatchHeaders()) {
			TraceContext linked = traceContext(headers.get("traceparent"));
			if (linked != null) {
				builder.addLink(new Link(linked));
			}
		}
		return builder;
	}

	private @Nullable TraceContext traceContext(@Nullable String traceparent) {
		Matcher matcher = (traceparent != null) ? TRACEPARENT.matcher(traceparent) : null;
		if (matcher == null || !matcher.matches()) {
			return null;
		}
		return this.tracer.traceContextBuilder()
			.traceId(matcher.group(1))
			.spanId(matcher.group(2))
			.sampled((Integer.parseInt(matcher.group(3), 16) & 1) == 1)
			.build();
	}

}
