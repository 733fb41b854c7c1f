package dev.eventbus.runtime;

import java.util.List;
import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The observations of the bus: {@code eventbus.publish} around every publish and
 * {@code eventbus.handle} around every handler invocation, with the low-cardinality keys
 * {@code adapter}, {@code destination}, {@code type}, {@code group} and {@code handler}
 * (handle only; handler ids are bounded by the number of handler methods) and
 * {@code outcome}. With Micrometer metrics they become timers of those names; with
 * Micrometer Tracing they become producer and consumer spans, and the trace context
 * travels in the event headers ({@code traceparent} for W3C propagation).
 */
public final class EventBusObservations {

	/** Name of the publish observation. */
	public static final String PUBLISH = "eventbus.publish";

	/** Name of the handle observation. */
	public static final String HANDLE = "eventbus.handle";

	static final PublishObservationConvention DEFAULT_PUBLISH_CONVENTION = new PublishConvention();

	static final HandleObservationConvention DEFAULT_HANDLE_CONVENTION = new HandleConvention();

	private EventBusObservations() {
	}

	/**
	 * Context of {@code eventbus.publish}; the carrier is the mutable header map of the
	 * event.
	 */
	public static final class PublishContext extends SenderContext<Map<String, String>> {

		private final String adapter;

		private final String destination;

		private final String type;

		private String outcome = "success";

		PublishContext(Map<String, String> headers, String adapter, String destination, String type) {
			super((carrier, key, value) -> {
				if (carrier != null) {
					carrier.put(key, value);
				}
			});
			setCarrier(headers);
			setRemoteServiceName(adapter);
			this.adapter = adapter;
			this.destination = destination;
			this.type = type;
		}

		public String getAdapter() {
			return this.adapter;
		}

		public String getDestination() {
			return this.destination;
		}

		public String getType() {
			return this.type;
		}

		public String getOutcome() {
			return this.outcome;
		}

		void setOutcome(String outcome) {
			this.outcome = outcome;
		}

	}

	/**
	 * Context of {@code eventbus.handle}; the carrier is the header map of the received
	 * event. For a batch handler, one observation covers the batch: its carrier is empty
	 * (the batch has no single parent) and {@link #getBatchHeaders()} holds the headers
	 * of each item, whose trace contexts a tracing handler links to the batch's span.
	 */
	public static final class HandleContext extends ReceiverContext<Map<String, String>> {

		private final String adapter;

		private final String destination;

		private final String type;

		private final String group;

		private final String handler;

		private final List<Map<String, String>> batchHeaders;

		private String outcome = "success";

		HandleContext(Map<String, String> headers, String adapter, String destination, String type, String group,
				String handler, List<Map<String, String>> batchHeaders) {
			super((carrier, key) -> carrier.get(key));
			setCarrier(headers);
			setRemoteServiceName(adapter);
			this.adapter = adapter;
			this.destination = destination;
			this.type = type;
			this.group = group;
			this.handler = handler;
			this.batchHeaders = batchHeaders;
		}

		public String getAdapter() {
			return this.adapter;
		}

		public String getDestination() {
			return this.destination;
		}

		public String getType() {
			return this.type;
		}

		public String getGroup() {
			return this.group;
		}

		public String getHandler() {
			return this.handler;
		}

		/**
		 * The headers of each event of a batch, in order.
		 * @return the headers, empty for a handler of one event at a time
		 */
		public List<Map<String, String>> getBatchHeaders() {
			return this.batchHeaders;
		}

		public String getOutcome() {
			return this.outcome;
		}

		void setOutcome(String outcome) {
			this.outcome = outcome;
		}

	}

	/**
	 * Names and tags {@code eventbus.publish}; a bean of this type replaces
	 * {@link PublishConvention}.
	 */
	public interface PublishObservationConvention extends ObservationConvention<PublishContext> {

		@Override
		default boolean supportsContext(Observation.Context context) {
			return context instanceof PublishContext;
		}

	}

	/**
	 * Names and tags {@code eventbus.handle}; a bean of this type replaces
	 * {@link HandleConvention}.
	 */
	public interface HandleObservationConvention extends ObservationConvention<HandleContext> {

		@Override
		default boolean supportsContext(Observation.Context context) {
			return context instanceof HandleContext;
		}

	}

	/**
	 * Default naming and keys of {@code eventbus.publish}.
	 */
	public static class PublishConvention implements PublishObservationConvention {

		@Override
		public String getName() {
			return PUBLISH;
		}

		@Override
		public @Nullable String getContextualName(PublishContext context) {
			return context.getDestination() + " send";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(PublishContext context) {
			return KeyValues.of(KeyValue.of("adapter", context.getAdapter()),
					KeyValue.of("destination", context.getDestination()), KeyValue.of("type", context.getType()),
					KeyValue.of("outcome", context.getOutcome()));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof PublishContext;
		}

	}

	/**
	 * Default naming and keys of {@code eventbus.handle}.
	 */
	public static class HandleConvention implements HandleObservationConvention {

		@Override
		public String getName() {
			return HANDLE;
		}

		@Override
		public @Nullable String getContextualName(HandleContext context) {
			return context.getDestination() + " process";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(HandleContext context) {
			return KeyValues.of(KeyValue.of("adapter", context.getAdapter()),
					KeyValue.of("destination", context.getDestination()), KeyValue.of("type", context.getType()),
					KeyValue.of("group", context.getGroup()), KeyValue.of("handler", context.getHandler()),
					KeyValue.of("outcome", context.getOutcome()));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof HandleContext;
		}

	}

}
