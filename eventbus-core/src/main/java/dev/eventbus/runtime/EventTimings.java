package dev.eventbus.runtime;

/**
 * Records how long publishing and handling took when the bus runs without a Micrometer
 * Observation per event. Implementations record the same meters the observations would produce
 * ({@code eventbus.publish}, {@code eventbus.handle}, same tags), at a fraction of the cost: no
 * context, no key-value maps, no scopes. With observations on, the observation handlers record
 * them and this is not called.
 * <p>
 * Implementations are thread safe and must not block.
 */
public interface EventTimings {

	/** Records nothing. */
	EventTimings NONE = new EventTimings() {

		@Override
		public void published(String adapter, String destination, String type, String outcome, long nanos) {
		}

		@Override
		public void handled(String adapter, String destination, String type, HandlerDefinition handler,
				String outcome, long nanos) {
		}

	};

	/**
	 * The recorder of the publishes of one event type to one destination, for callers that
	 * record many of them: implementations resolve their meters once here instead of on every
	 * {@link #published} call. The default delegates to {@link #published}.
	 * @param adapter adapter name
	 * @param destination destination
	 * @param type event type
	 * @return the recorder
	 */
	default PublishTimer publishTimer(String adapter, String destination, String type) {
		return (outcome, nanos) -> published(adapter, destination, type, outcome, nanos);
	}

	/**
	 * Record a publish.
	 * @param adapter adapter name
	 * @param destination destination
	 * @param type event type
	 * @param outcome {@code success} or {@code failure}
	 * @param nanos time from publish until the adapter accepted or refused the event
	 */
	void published(String adapter, String destination, String type, String outcome, long nanos);

	/**
	 * The recorder of one handler's handlings of deliveries from one destination, for callers that
	 * record many of them: implementations resolve their meters once per type and outcome instead
	 * of on every {@link #handled} call. The default delegates to {@link #handled}.
	 * @param adapter adapter name
	 * @param destination destination
	 * @param handler the handler
	 * @return the recorder
	 */
	default HandleTimer handleTimer(String adapter, String destination, HandlerDefinition handler) {
		return (type, outcome, nanos) -> handled(adapter, destination, type, handler, outcome, nanos);
	}

	/**
	 * Record one handling of a delivery.
	 * @param adapter adapter name
	 * @param destination destination
	 * @param type event type
	 * @param handler the handler
	 * @param outcome {@code success}, {@code retry}, {@code dead-letter}, {@code skipped} or {@code dropped}
	 * @param nanos time spent, conversion and invocation included
	 */
	void handled(String adapter, String destination, String type, HandlerDefinition handler, String outcome,
			long nanos);

	/**
	 * Records the publishes of one event type to one destination. Thread safe.
	 */
	@FunctionalInterface
	interface PublishTimer {

		/**
		 * Record a publish.
		 * @param outcome {@code success} or {@code failure}
		 * @param nanos time from publish until the adapter accepted or refused the event
		 */
		void record(String outcome, long nanos);

	}

	/**
	 * Records one handler's handlings of deliveries from one destination. Thread safe.
	 */
	@FunctionalInterface
	interface HandleTimer {

		/**
		 * Record one handling of a delivery.
		 * @param type event type
		 * @param outcome {@code success}, {@code retry}, {@code dead-letter}, {@code skipped} or
		 * {@code dropped}
		 * @param nanos time spent, conversion and invocation included
		 */
		void record(String type, String outcome, long nanos);

	}

}
