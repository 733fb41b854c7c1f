package dev.eventbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the event bus, under {@code eventbus}. Connection settings
 * of the brokers stay where Spring Boot keeps them ({@code spring.kafka.*},
 * {@code spring.data.redis.*}, {@code spring.cloud.aws.*}, {@code spring.rabbitmq.*});
 * these hold only what the bus adds. Values are checked at start-up by
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
	 * Routes from event types to destinations, tried in order: the first whose types
	 * match decides.
	 */
	private List<Route> routes = new ArrayList<>();

	/**
	 * CloudEvents source (a URI reference) of published events. When not set,
	 * 'urn:eventbus:' followed by spring.application.name.
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

	/**
	 * Whether an event of a type no handler of its subscription takes is dead-lettered
	 * instead of acknowledged. Either way it is counted (eventbus.events.unmatched) and
	 * its type logged once.
	 */
	private boolean deadLetterUnmatchedEvents;

	/**
	 * Packages, besides the application's own, whose @EventType classes are registered at
	 * start-up.
	 */
	private List<String> typePackages = new ArrayList<>();

	private final Handler handler = new Handler();

	private final Observation observation = new Observation();

	private final Memory memory = new Memory();

	private final Kafka kafka = new Kafka();

	private final Redis redis = new Redis();

	private final Sqs sqs = new Sqs();

	private final Rabbitmq rabbitmq = new Rabbitmq();

	private final Codec codec = new Codec();

	private final Outbox outbox = new Outbox();

	private final Inbox inbox = new Inbox();

	private final Jdbc jdbc = new Jdbc();

	private final Log log = new Log();

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

	public boolean isDeadLetterUnmatchedEvents() {
		return this.deadLetterUnmatchedEvents;
	}

	public void setDeadLetterUnmatchedEvents(boolean deadLetterUnmatchedEvents) {
		this.deadLetterUnmatchedEvents = deadLetterUnmatchedEvents;
	}

	public List<String> getTypePackages() {
		return this.typePackages;
	}

	public void setTypePackages(List<String> typePackages) {
		this.typePackages = typePackages;
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

	public Kafka getKafka() {
		return this.kafka;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Sqs getSqs() {
		return this.sqs;
	}

	public Rabbitmq getRabbitmq() {
		return this.rabbitmq;
	}

	public Codec getCodec() {
		return this.codec;
	}

	public Outbox getOutbox() {
		return this.outbox;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Log getLog() {
		return this.log;
	}

	/**
	 * A route from event types to a destination.
	 */
	public static class Route {

		/**
		 * Event type patterns the route applies to, such as 'order.*'; '*' matches any
		 * characters, dots included.
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
		 * Consumer group of handlers. When not set, spring.application.name, else
		 * 'application'.
		 */
		private @Nullable String group;

		/**
		 * Events each subscription handles in parallel in this instance; serial within
		 * one subject.
		 */
		private int concurrency = 1;

		/**
		 * Longest a handling may run before it counts as failed; its thread is
		 * interrupted. None when not set.
		 */
		private @Nullable Duration timeout;

		/**
		 * Whether handlers apply each event once through the inbox (eventbus-jdbc with
		 * eventbus.inbox.enabled); @EventHandler(idempotent = ...) overrides it.
		 */
		private boolean idempotent;

		private final Retry retry = new Retry();

		private final Batch batch = new Batch();

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

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Batch getBatch() {
			return this.batch;
		}

		public boolean isIdempotent() {
			return this.idempotent;
		}

		public void setIdempotent(boolean idempotent) {
			this.idempotent = idempotent;
		}

	}

	/**
	 * How the batches of batch handlers (a List parameter) are formed.
	 */
	public static class Batch {

		/**
		 * Most events in one batch.
		 */
		private int maxSize = 100;

		/**
		 * Longest the adapter waits for a batch to fill once it holds its first event.
		 */
		private Duration maxWait = Duration.ofMillis(100);

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * Retry of a failed handler, as Spring Framework's RetryPolicy: exponential backoff
	 * with jitter, then dead letter.
	 */
	public static class Retry {

		/**
		 * Deliveries after the first before an event is dead-lettered; 0 disables retry.
		 */
		private long maxRetries = 2;

		/**
		 * Delay before the first retry.
		 */
		private Duration delay = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each failed delivery.
		 */
		private double multiplier = 2.0;

		/**
		 * Upper bound of the delay between deliveries.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Random amount added to or subtracted from each delay.
		 */
		private Duration jitter = Duration.ofMillis(100);

		/**
		 * Exceptions worth a retry, subclasses included; any other is dead-lettered at
		 * once. Every exception when empty.
		 */
		private List<Class<? extends Throwable>> includes = new ArrayList<>();

		/**
		 * Exceptions no retry can fix, subclasses included: dead-lettered at once.
		 */
		private List<Class<? extends Throwable>> excludes = new ArrayList<>();

		public long getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(long maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public List<Class<? extends Throwable>> getIncludes() {
			return this.includes;
		}

		public void setIncludes(List<Class<? extends Throwable>> includes) {
			this.includes = includes;
		}

		public List<Class<? extends Throwable>> getExcludes() {
			return this.excludes;
		}

		public void setExcludes(List<Class<? extends Throwable>> excludes) {
			this.excludes = excludes;
		}

	}

	/**
	 * Micrometer Observation of publishing and handling.
	 */
	public static class Observation {

		/**
		 * Whether to observe every publish and handling: the eventbus.publish and
		 * eventbus.handle timers, tracing spans, and trace context in the event headers.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * In-memory adapter. Its handler threads come from Spring Boot's task execution
	 * settings (spring.task.execution.*), virtual when spring.threads.virtual.enabled is
	 * set.
	 */
	public static class Memory {

		/**
		 * Messages queued or in flight per consumer group; a publish to a full group
		 * waits for room.
		 */
		private int queueCapacity = 10_000;

		/**
		 * Longest wait of a publish for room in a full consumer group before it fails
		 * with EventBusOverloadedException. Not the wait for the adapter's
		 * acknowledgement, which is eventbus.publish-timeout.
		 */
		private Duration enqueueTimeout = Duration.ofSeconds(1);

		/**
		 * Messages retained per destination, dead-letter destinations included.
		 */
		private int historySize = 1_000;

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public Duration getEnqueueTimeout() {
			return this.enqueueTimeout;
		}

		public void setEnqueueTimeout(Duration enqueueTimeout) {
			this.enqueueTimeout = enqueueTimeout;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

	}

	/**
	 * Kafka adapter. Connection and client settings come from {@code spring.kafka.*}.
	 */
	public static class Kafka {

		/**
		 * Whether destinations and dead-letter destinations are created as topics when
		 * first used.
		 */
		private boolean createTopics = true;

		/**
		 * Partitions of the topics the bus creates; bounds the consumers per handler.
		 */
		private int partitions = 6;

		/**
		 * Replication factor of the topics the bus creates.
		 */
		private short replicationFactor = 1;

		/**
		 * Longest the producer close and a listener container stop wait.
		 */
		private Duration closeTimeout = Duration.ofSeconds(30);

		/**
		 * Longest an admin operation (topic creation, lag) or a dead-letter read waits.
		 */
		private Duration operationTimeout = Duration.ofSeconds(10);

		/**
		 * Longest the health check and the connection probe (describe cluster) wait for
		 * the broker.
		 */
		private Duration healthTimeout = Duration.ofSeconds(2);

		/**
		 * Compacted topic recording which dead letters were removed or replayed.
		 */
		private String deadLetterMarkerTopic = "eventbus-dead-letter-markers";

		public boolean isCreateTopics() {
			return this.createTopics;
		}

		public void setCreateTopics(boolean createTopics) {
			this.createTopics = createTopics;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

		public short getReplicationFactor() {
			return this.replicationFactor;
		}

		public void setReplicationFactor(short replicationFactor) {
			this.replicationFactor = replicationFactor;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public Duration getOperationTimeout() {
			return this.operationTimeout;
		}

		public void setOperationTimeout(Duration operationTimeout) {
			this.operationTimeout = operationTimeout;
		}

		public Duration getHealthTimeout() {
			return this.healthTimeout;
		}

		public void setHealthTimeout(Duration healthTimeout) {
			this.healthTimeout = healthTimeout;
		}

		public String getDeadLetterMarkerTopic() {
			return this.deadLetterMarkerTopic;
		}

		public void setDeadLetterMarkerTopic(String deadLetterMarkerTopic) {
			this.deadLetterMarkerTopic = deadLetterMarkerTopic;
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
	 * Fields of plain JSON messages (without 'specversion') written by producers outside
	 * this library.
	 */
	public static class Plain {

		/**
		 * Field holding the event id; messages without one take the broker's id of the
		 * message.
		 */
		private String idField = "id";

		/**
		 * Field holding the source; messages without one are named after their
		 * destination.
		 */
		private String sourceField = "source";

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

		public String getSourceField() {
			return this.sourceField;
		}

		public void setSourceField(String sourceField) {
			this.sourceField = sourceField;
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

	/**
	 * Redis adapter. Connection settings are Spring Boot's spring.data.redis.*.
	 */
	public static class Redis {

		/**
		 * Transport: streams (durable, consumer groups, at-least-once) or pubsub
		 * (broadcast to every instance, at-most-once).
		 */
		private Mode mode = Mode.STREAMS;

		/**
		 * Name of this instance within consumer groups; stable across restarts and unique
		 * per running instance. Unset: the host name.
		 */
		private @Nullable String consumerName;

		/**
		 * Prefix of stream keys and channel names.
		 */
		private String keyPrefix = "";

		/**
		 * Most entries read by one XREADGROUP; a subscription holds at most
		 * max(batch-size, concurrency) entries read and not yet acknowledged.
		 */
		private int batchSize = 100;

		/**
		 * How long one XREADGROUP blocks waiting for new entries; also how late a due
		 * retry may be.
		 */
		private Duration pollTimeout = Duration.ofSeconds(1);

		/**
		 * How long an entry stays pending with a consumer that no longer refreshes it (a
		 * dead instance) before another consumer claims it.
		 */
		private Duration claimIdleTime = Duration.ofSeconds(30);

		/**
		 * How often each subscription looks for entries of dead consumers to claim.
		 */
		private Duration claimInterval = Duration.ofSeconds(5);

		/**
		 * Approximate number of entries each stream keeps (XADD MAXLEN ~); trimming also
		 * drops entries not acknowledged yet. Unset: streams are not trimmed.
		 */
		private @Nullable Long maxLength;

		/**
		 * Where a consumer group created by a subscription starts: earliest (every entry
		 * the stream still holds) or latest (only entries added afterwards).
		 */
		private GroupStart newGroupStart = GroupStart.EARLIEST;

		/**
		 * Longest wait for the PING of a health check.
		 */
		private Duration healthTimeout = Duration.ofSeconds(2);

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public @Nullable String getConsumerName() {
			return this.consumerName;
		}

		public void setConsumerName(@Nullable String consumerName) {
			this.consumerName = consumerName;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Duration getClaimIdleTime() {
			return this.claimIdleTime;
		}

		public void setClaimIdleTime(Duration claimIdleTime) {
			this.claimIdleTime = claimIdleTime;
		}

		public Duration getClaimInterval() {
			return this.claimInterval;
		}

		public void setClaimInterval(Duration claimInterval) {
			this.claimInterval = claimInterval;
		}

		public @Nullable Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(@Nullable Long maxLength) {
			this.maxLength = maxLength;
		}

		public GroupStart getNewGroupStart() {
			return this.newGroupStart;
		}

		public void setNewGroupStart(GroupStart newGroupStart) {
			this.newGroupStart = newGroupStart;
		}

		public Duration getHealthTimeout() {
			return this.healthTimeout;
		}

		public void setHealthTimeout(Duration healthTimeout) {
			this.healthTimeout = healthTimeout;
		}

		/**
		 * Redis transports.
		 */
		public enum Mode {

			/** Redis Streams with consumer groups: persistent, at-least-once. */
			STREAMS,

			/** Pub/sub broadcast to every instance: at-most-once. */
			PUBSUB

		}

		/**
		 * Where a new consumer group starts reading.
		 */
		public enum GroupStart {

			/** At the first entry the stream holds. */
			EARLIEST,

			/** After the last entry. */
			LATEST

		}

	}

	/**
	 * SQS adapter. Region, credentials and endpoint come from spring.cloud.aws.*.
	 */
	public static class Sqs {

		/**
		 * Whether to use FIFO queues: ordered per subject (the message group),
		 * deduplicated by event id.
		 */
		private boolean fifo;

		/**
		 * Whether to create missing queues: group queues on subscribe, destination queues
		 * on send.
		 */
		private boolean autoCreateQueues = true;

		/**
		 * How long a received message stays hidden from other consumers; extended while
		 * its handler runs. Bounds how long the message of a crashed consumer takes to
		 * come back.
		 */
		private Duration visibilityTimeout = Duration.ofSeconds(30);

		/**
		 * Long-poll wait of each receive, at most 20 seconds.
		 */
		private Duration waitTime = Duration.ofSeconds(10);

		/**
		 * Received but unsettled messages per subscription at most.
		 */
		private int maxInFlightMessages = 20;

		/**
		 * How long a send waits for others to fill a batch of up to 10.
		 */
		private Duration sendLinger = Duration.ofMillis(10);

		/**
		 * How long the group queues found for a destination are used before they are
		 * listed again, by publishers and ingress movers; a group subscribed in another
		 * application receives what they send within it.
		 */
		private Duration groupRefreshInterval = Duration.ofSeconds(30);

		/**
		 * Longest wait for queue lookups, creation and health checks.
		 */
		private Duration requestTimeout = Duration.ofSeconds(5);

		/**
		 * Ingress queue of a destination, by destination, as a queue URL or name, where
		 * producers outside the bus send; a destination not listed has the queue of its
		 * own name.
		 */
		private Map<String, String> ingressQueues = new LinkedHashMap<>();

		private final DeadLetter deadLetter = new DeadLetter();

		public boolean isFifo() {
			return this.fifo;
		}

		public void setFifo(boolean fifo) {
			this.fifo = fifo;
		}

		public boolean isAutoCreateQueues() {
			return this.autoCreateQueues;
		}

		public void setAutoCreateQueues(boolean autoCreateQueues) {
			this.autoCreateQueues = autoCreateQueues;
		}

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public Duration getWaitTime() {
			return this.waitTime;
		}

		public void setWaitTime(Duration waitTime) {
			this.waitTime = waitTime;
		}

		public int getMaxInFlightMessages() {
			return this.maxInFlightMessages;
		}

		public void setMaxInFlightMessages(int maxInFlightMessages) {
			this.maxInFlightMessages = maxInFlightMessages;
		}

		public Duration getSendLinger() {
			return this.sendLinger;
		}

		public void setSendLinger(Duration sendLinger) {
			this.sendLinger = sendLinger;
		}

		public Duration getGroupRefreshInterval() {
			return this.groupRefreshInterval;
		}

		public void setGroupRefreshInterval(Duration groupRefreshInterval) {
			this.groupRefreshInterval = groupRefreshInterval;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public Map<String, String> getIngressQueues() {
			return this.ingressQueues;
		}

		public void setIngressQueues(Map<String, String> ingressQueues) {
			this.ingressQueues = ingressQueues;
		}

		public DeadLetter getDeadLetter() {
			return this.deadLetter;
		}

		/**
		 * Dead letters on SQS.
		 */
		public static class DeadLetter {

			/**
			 * Whether auto-created group queues get a native redrive policy to the
			 * dead-letter queue, a safety net for messages whose consumer dies before the
			 * bus dead-letters them.
			 */
			private boolean redrive = true;

			/**
			 * Receives beyond the handler's max attempts before native redrive moves a
			 * message.
			 */
			private int redriveExtraReceives = 2;

			public boolean isRedrive() {
				return this.redrive;
			}

			public void setRedrive(boolean redrive) {
				this.redrive = redrive;
			}

			public int getRedriveExtraReceives() {
				return this.redriveExtraReceives;
			}

			public void setRedriveExtraReceives(int redriveExtraReceives) {
				this.redriveExtraReceives = redriveExtraReceives;
			}

		}

	}

	/**
	 * Transactional outbox (eventbus-jdbc): events published in a transaction are
	 * recorded in a table and sent after commit.
	 */
	public static class Outbox {

		/**
		 * Whether events published in a transaction go through the outbox. Needs
		 * eventbus-jdbc and a DataSource.
		 */
		private boolean enabled;

		/**
		 * Most rows one relay round sends.
		 */
		private int batchSize = 500;

		/**
		 * How often the relay looks for rows nothing woke it for: left by a crash, due
		 * again after a failure, or committed by another instance.
		 */
		private Duration sweepInterval = Duration.ofSeconds(1);

		/**
		 * Longest wait for the broker to take a row.
		 */
		private Duration sendTimeout = Duration.ofSeconds(10);

		/**
		 * Whether sent rows are kept, marked sent, instead of deleted.
		 */
		private boolean keepSent;

		/**
		 * Age of the oldest pending row past which the outbox health is DOWN.
		 */
		private Duration maxPendingAge = Duration.ofMinutes(5);

		private final Retry retry = new Retry();

		public Outbox() {
			this.retry.setMaxRetries(19);
			this.retry.setMaxDelay(Duration.ofMinutes(1));
			this.retry.setJitter(Duration.ZERO);
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public boolean isKeepSent() {
			return this.keepSent;
		}

		public void setKeepSent(boolean keepSent) {
			this.keepSent = keepSent;
		}

		public Duration getMaxPendingAge() {
			return this.maxPendingAge;
		}

		public void setMaxPendingAge(Duration maxPendingAge) {
			this.maxPendingAge = maxPendingAge;
		}

		/**
		 * The backoff between sends of a row, and how many sends it gets before it waits
		 * as a dead letter.
		 * @return the retry settings
		 */
		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Idempotent inbox (eventbus-jdbc): idempotent handlers apply each event once.
	 */
	public static class Inbox {

		/**
		 * Whether idempotent handlers record the events they took in a table. Needs
		 * eventbus-jdbc, a DataSource and a PlatformTransactionManager.
		 */
		private boolean enabled;

		/**
		 * How long a handled event is remembered: longer than any redelivery or replay of
		 * it.
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * How often expired records are deleted.
		 */
		private Duration cleanupInterval = Duration.ofHours(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * Tables of the outbox and inbox.
	 */
	public static class Jdbc {

		/**
		 * Prefix of the table names: <prefix>outbox and <prefix>inbox.
		 */
		private String tablePrefix = "eventbus_";

		/**
		 * When to create the tables that do not exist: always, embedded (H2 only) or
		 * never.
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		public void setTablePrefix(String tablePrefix) {
			this.tablePrefix = tablePrefix;
		}

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * Durable event log (eventbus-jdbc): the events this application publishes, and
	 * optionally those it consumes, by subject and correlation id, with replays.
	 */
	public static class Log {

		/**
		 * Whether events are recorded in the event log table. Needs eventbus-jdbc and a
		 * DataSource.
		 */
		private boolean enabled;

		/**
		 * Type patterns of the events to record; every type when empty.
		 */
		private List<String> types = new ArrayList<>();

		/**
		 * Destinations whose events, published by any application, are recorded too,
		 * through a consumer group of the log's own.
		 */
		private List<String> consumedDestinations = new ArrayList<>();

		/**
		 * How long events are kept; forever when not set.
		 */
		private @Nullable Duration retention;

		/**
		 * Most events kept, the newest; no bound when not set.
		 */
		private @Nullable Long maxEvents;

		/**
		 * How often events past the retention or the bound are deleted.
		 */
		private Duration cleanupInterval = Duration.ofHours(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getTypes() {
			return this.types;
		}

		public void setTypes(List<String> types) {
			this.types = types;
		}

		public List<String> getConsumedDestinations() {
			return this.consumedDestinations;
		}

		public void setConsumedDestinations(List<String> consumedDestinations) {
			this.consumedDestinations = consumedDestinations;
		}

		public @Nullable Duration getRetention() {
			return this.retention;
		}

		public void setRetention(@Nullable Duration retention) {
			this.retention = retention;
		}

		public @Nullable Long getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(@Nullable Long maxEvents) {
			this.maxEvents = maxEvents;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * When the outbox and inbox tables are created.
	 */
	public enum SchemaInitialization {

		/** Whatever the database. */
		ALWAYS,

		/** On H2, the embedded database. */
		EMBEDDED,

		/** Never: the tables are created by the application's migrations. */
		NEVER

	}

	/**
	 * RabbitMQ adapter. Host, credentials, virtual host and SSL come from
	 * spring.rabbitmq.*.
	 */
	public static class Rabbitmq {

		/**
		 * Whether to deliver the events of one subject in order, one at a time: group
		 * queues get a single active consumer, so one instance of a group receives at a
		 * time.
		 */
		private boolean orderedPerKey;

		/**
		 * Longest wait for the broker to confirm a publish.
		 */
		private Duration confirmTimeout = Duration.ofSeconds(10);

		/**
		 * Unacknowledged messages the broker sends to one subscription at most; retries
		 * waiting for their delay count against it. At least twice a subscription's
		 * concurrency or batch size is used.
		 */
		private int prefetch = 250;

		/**
		 * Returns of a message to its group queue (a consumer closed or died holding it)
		 * after which the broker moves it to the dead-letter queue. Applies to group
		 * queues when they are declared.
		 */
		private int deliveryLimit = 20;

		/**
		 * How often a consumer cut off from the broker tries to start again.
		 */
		private Duration recoveryInterval = Duration.ofSeconds(5);

		/**
		 * Longest wait of a health check.
		 */
		private Duration requestTimeout = Duration.ofSeconds(5);

		public boolean isOrderedPerKey() {
			return this.orderedPerKey;
		}

		public void setOrderedPerKey(boolean orderedPerKey) {
			this.orderedPerKey = orderedPerKey;
		}

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public int getDeliveryLimit() {
			return this.deliveryLimit;
		}

		public void setDeliveryLimit(int deliveryLimit) {
			this.deliveryLimit = deliveryLimit;
		}

		public Duration getRecoveryInterval() {
			return this.recoveryInterval;
		}

		public void setRecoveryInterval(Duration recoveryInterval) {
			this.recoveryInterval = recoveryInterval;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

	}

}
