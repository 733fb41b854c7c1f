package dev.eventbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the event bus, under {@code eventbus}. Connection settings of the
 * brokers stay where Spring Boot keeps them ({@code spring.kafka.*}, {@code spring.data.redis.*},
 * {@code spring.cloud.aws.*}); these hold only what the bus adds. Values are checked at start-up by
 * {@link EventBusPropertiesValidator}.
 */
@ConfigurationProperties("eventbus")
public class EventBusProperties {

	/**
	 * Whether to enable the event bus.
	 */
	private boolean enabled = true;

	/**
	 * Transport events are written to and read from.
	 */
	private String adapter = "memory";

	/**
	 * Destination (topic, stream or queue) of event types no route matches.
	 */
	private String defaultDestination = "events";

	/**
	 * Routes from event types to destinations, tried in order: the first whose types match decides.
	 */
	private List<Route> routes = new ArrayList<>();

	/**
	 * CloudEvents source (a URI reference) of published events. When not set, 'urn:eventbus:'
	 * followed by spring.application.name.
	 */
	private @Nullable String source;

	/**
	 * Suffix appended to a destination to name its dead-letter destination.
	 */
	private String deadLetterSuffix = ".dlq";

	/**
	 * Longest wait of a synchronous publish for the adapter to accept an event.
	 */
	private Duration publishTimeout = Duration.ofSeconds(30);

	/**
	 * Longest wait for in-flight handlers to finish when the application stops.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final Handler handler = new Handler();

	private final Observation observation = new Observation();

	private final Memory memory = new Memory();

	private final Codec codec = new Codec();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getAdapter() {
		return this.adapter;
	}

	public void setAdapter(String adapter) {
		this.adapter = adapter;
	}

	public String getDefaultDestination() {
		return this.defaultDestination;
	}

	public void setDefaultDestination(String defaultDestination) {
		this.defaultDestination = defaultDestination;
	}

	public List<Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<Route> routes) {
		this.routes = routes;
	}

	public @Nullable String getSource() {
		return this.source;
	}

	public void setSource(@Nullable String source) {
		this.source = source;
	}

	public String getDeadLetterSuffix() {
		return this.deadLetterSuffix;
	}

	public void setDeadLetterSuffix(String deadLetterSuffix) {
		this.deadLetterSuffix = deadLetterSuffix;
	}

	public Duration getPublishTimeout() {
		return this.publishTimeout;
	}

	public void setPublishTimeout(Duration publishTimeout) {
		this.publishTimeout = publishTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Handler getHandler() {
		return this.handler;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Codec getCodec() {
		return this.codec;
	}

	/**
	 * A route from event types to a destination.
	 */
	public static class Route {

		/**
		 * Event type patterns the route applies to, such as 'order.*'; '*' matches any characters,
		 * dots included.
		 */
		private List<String> types = new ArrayList<>();

		/**
		 * Destination (topic, stream or queue) of the matching types.
		 */
		private @Nullable String destination;

		public List<String> getTypes() {
			return this.types;
		}

		public void setTypes(List<String> types) {
			this.types = types;
		}

		public @Nullable String getDestination() {
			return this.destination;
		}

		public void setDestination(@Nullable String destination) {
			this.destination = destination;
		}

	}

	/**
	 * Defaults of every @EventHandler attribute left unset.
	 */
	public static class Handler {

		/**
		 * Consumer group of handlers. When not set, spring.application.name, else 'application'.
		 */
		private @Nullable String group;

		/**
		 * Events each handler handles in parallel in this instance; serial within one subject.
		 */
		private int concurrency = 1;

		private final Retry retry = new Retry();

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Retry of a failed handler: exponential backoff with jitter, then dead letter.
	 */
	public static class Retry {

		/**
		 * Deliveries in total, the first included, before an event is dead-lettered; 1 disables
		 * retry.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the second delivery.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each failed delivery.
		 */
		private double multiplier = 2.0;

		/**
		 * Upper bound of the delay between deliveries.
		 */
		private Duration maxInterval = Duration.ofSeconds(30);

		/**
		 * Random amount added to or subtracted from each delay.
		 */
		private Duration jitter = Duration.ofMillis(100);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * In-memory adapter.
	 */
	/**
	 * Micrometer Observation of publishing and handling.
	 */
	public static class Observation {

		/**
		 * Whether to create one Micrometer Observation per publish and per handling (tracing
		 * spans, trace context in the event headers). When off, the eventbus.publish and
		 * eventbus.handle timers are recorded directly, at a fraction of the cost. Unset: on when
		 * Micrometer Tracing has a Tracer bean.
		 */
		private @Nullable Boolean enabled;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Memory {

		/**
		 * Messages queued or in flight per consumer group; a publish to a full group waits for room.
		 */
		private int queueCapacity = 10_000;

		/**
		 * Longest wait of a publish for room in a full consumer group before it fails.
		 */
		private Duration publishTimeout = Duration.ofSeconds(1);

		/**
		 * Messages retained per destination, dead-letter destinations included.
		 */
		private int historySize = 1_000;

		/**
		 * Threads that call handlers.
		 */
		private int maxThreads = 64;

		/**
		 * Prefix of the names of the threads that call handlers.
		 */
		private String threadNamePrefix = "eventbus-memory-";

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public Duration getPublishTimeout() {
			return this.publishTimeout;
		}

		public void setPublishTimeout(Duration publishTimeout) {
			this.publishTimeout = publishTimeout;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		public void setThreadNamePrefix(String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

	}

	/**
	 * Reading and writing of events.
	 */
	public static class Codec {

		private final Plain plain = new Plain();

		public Plain getPlain() {
			return this.plain;
		}

	}

	/**
	 * Fields of plain JSON messages (without 'specversion') written by producers outside this
	 * library.
	 */
	public static class Plain {

		/**
		 * Field holding the event id.
		 */
		private String idField = "id";

		/**
		 * Field holding the event type.
		 */
		private String typeField = "type";

		/**
		 * Field holding the subject.
		 */
		private String subjectField = "subject";

		/**
		 * Field holding the time, as ISO-8601 or epoch milliseconds.
		 */
		private String timeField = "time";

		/**
		 * Field holding the correlation id.
		 */
		private String correlationIdField = "correlationId";

		/**
		 * Field holding the data; empty to take the whole document as the data.
		 */
		private String dataField = "data";

		public String getIdField() {
			return this.idField;
		}

		public void setIdField(String idField) {
			this.idField = idField;
		}

		public String getTypeField() {
			return this.typeField;
		}

		public void setTypeField(String typeField) {
			this.typeField = typeField;
		}

		public String getSubjectField() {
			return this.subjectField;
		}

		public void setSubjectField(String subjectField) {
			this.subjectField = subjectField;
		}

		public String getTimeField() {
			return this.timeField;
		}

		public void setTimeField(String timeField) {
			this.timeField = timeField;
		}

		public String getCorrelationIdField() {
			return this.correlationIdField;
		}

		public void setCorrelationIdField(String correlationIdField) {
			this.correlationIdField = correlationIdField;
		}

		public String getDataField() {
			return this.dataField;
		}

		public void setDataField(String dataField) {
			this.dataField = dataField;
		}

	}

}
