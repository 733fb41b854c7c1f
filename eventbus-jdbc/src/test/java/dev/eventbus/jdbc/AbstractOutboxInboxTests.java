package dev.eventbus.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisServerProcess;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.HandlerDefaults;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox and the inbox on one database, with a real Redis as the broker: what every
 * supported database must pass. Each test class has tables of its own; each test its own
 * stream and group.
 */
abstract class AbstractOutboxInboxTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final RetrySettings FAST_RETRY = new RetrySettings(100, Duration.ofMillis(50), 2.0, Duration.ofMillis(400),
			Duration.ZERO);

	private static @Nullable RedisServerProcess redis;

	private static @Nullable LettuceConnectionFactory connectionFactory;

	final JdbcTables tables = TestDatabases.freshTables();

	final List<AutoCloseable> closeables = new ArrayList<>();

	final String suffix = Long.toHexString(System.nanoTime());

	DataSource dataSource;

	JdbcPlatform platform;

	JdbcClient jdbc;

	TransactionTemplate transactions;

	EventLog log;

	/**
	 * The database under test.
	 * @return its pool
	 */
	abstract DataSource database();

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
		connectionFactory = redis.connectionFactory(null, Duration.ofSeconds(2));
	}

	@AfterAll
	static void stopRedis() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void createTables() {
		this.dataSource = database();
		this.platform = JdbcPlatform.of(this.dataSource);
		JdbcSchema.create(this.dataSource, this.platform, this.tables);
		this.jdbc = JdbcClient.create(this.dataSource);
		this.jdbc
			.sql("CREATE TABLE IF NOT EXISTS " + effects() + " (event_id VARCHAR(255) NOT NULL, handler VARCHAR(64))")
			.update();
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		JsonMapper jsonMapper = JsonMapper.builder().build();
		this.log = new EventLog(this.dataSource, this.platform, this.tables,
				new JsonEventCodec(jsonMapper, PlainJsonMapping.DEFAULT), jsonMapper);
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void aTransactionThatRollsBackPublishesNothing() {
		Recorder recorder = new Recorder();
		EventBus bus = bus(recorder);
		this.transactions.executeWithoutResult((status) -> {
			bus.publisher().publish(EventMessage.of("order.placed", Map.of("n", 1)).id("rolled-back").build());
			status.setRollbackOnly();
		});
		this.transactions.executeWithoutResult((status) -> bus.publisher()
			.publish(EventMessage.of("order.placed", Map.of("n", 2)).id("committed").build()));
		Awaits.await(WAIT, () -> recorder.ids.contains("committed"), () -> "received " + recorder.ids);
		Awaits.await(WAIT, () -> rows() == 0, () -> "rows left: " + rows());
		assertThat(recorder.ids).as("the rolled-back event left no row and was never sent")
			.containsExactly("committed");
	}

	@Test
	void aPublishOutsideATransactionIsSentAtOnceWithoutTheOutbox() {
		Recorder recorder = new Recorder();
		EventBus bus = bus(recorder);
		assertThat(bus.publisher()
			.publish(EventMessage.of("order.placed", Map.of("n", 1)).id("direct").build())
			.position()).isNotEqualTo(OutboxEventBusAdapter.RECORDED.position());
		Awaits.await(WAIT, () -> recorder.ids.contains("direct"), () -> "received " + recorder.ids);
		assertThat(rows()).isZero();
	}

	@Test
	void aCommitWhileTheBrokerIsDownIsDeliveredWithTheSameIdOnceItIsBack() {
		Recorder recorder = new Recorder();
		EventBus bus = bus(recorder);
		redis.stop();
		try {
			this.transactions.executeWithoutResult((status) -> bus.publisher()
				.publish(EventMessage.of("order.placed", Map.of("n", 1)).id("while-down").subject("o-1").build()));
			Awaits.await(WAIT, () -> attemptsOf("while-down") >= 2,
					() -> "the relay has not failed to send twice: attempts " + attemptsOf("while-down"));
			assertThat(pendingRows()).as("the row stays pending while the broker is down").isEqualTo(1);
		}
		finally {
			redis.resume();
		}
		Awaits.await(WAIT, () -> recorder.ids.contains("while-down"), () -> "received " + recorder.ids);
		assertThat(recorder.ids).containsExactly("while-down");
		Awaits.await(WAIT, () -> rows() == 0, () -> "rows left: " + rows());
	}

	@Test
	void theSameEventTwiceIsAppliedOnceAndTheDuplicateIsCounted() {
		Effects effects = new Effects(this, "effects", false);
		EventBus bus = bus(effects);
		for (int i = 0; i < 2; i++) {
			bus.publisher().publish(EventMessage.of("order.placed", Map.of("n", 1)).id("twice").build());
		}
		Awaits.await(WAIT, () -> bus.statistics().count("effects", Counter.DUPLICATES) == 1,
				() -> "duplicates: " + bus.statistics().count("effects", Counter.DUPLICATES));
		assertThat(effectsOf("twice")).isEqualTo(1);
		assertThat(claims()).isEqualTo(1);
	}

	@Test
	void aHandlerThatThrowsOnceIsAppliedOnceAfterTheRetry() {
		Effects effects = new Effects(this, "effects", true);
		EventBus bus = bus(effects);
		bus.publisher().publish(EventMessage.of("order.placed", Map.of("n", 1)).id("throws-once").build());
		Awaits.await(WAIT, () -> bus.statistics().count("effects", Counter.HANDLED) == 1,
				() -> "handled: " + bus.statistics().count("effects", Counter.HANDLED));
		assertThat(effects.calls).as("the failed call and the retry").hasValue(2);
		assertThat(effectsOf("throws-once")).as("the failed call's effect was rolled back with its claim").isEqualTo(1);
	}

	@Test
	void twoGroupsApplyTheSameEventOnceEach() {
		EventBus first = bus(new Effects(this, "effects", false));
		EventBus second = bus("other-" + this.suffix, new Effects(this, "effects", false));
		for (int i = 0; i < 2; i++) {
			first.publisher().publish(EventMessage.of("order.placed", Map.of("n", 1)).id("two-groups").build());
		}
		Awaits.await(WAIT,
				() -> first.statistics().count("effects", Counter.DUPLICATES) == 1
						&& second.statistics().count("effects", Counter.DUPLICATES) == 1,
				() -> "duplicates: " + first.statistics().count("effects", Counter.DUPLICATES) + " and "
						+ second.statistics().count("effects", Counter.DUPLICATES));
		assertThat(effectsOf("two-groups")).as("one effect per group").isEqualTo(2);
	}

	@Test
	void twoInstancesGivenTheSameEventAtTheSameMomentApplyItOnce() throws Exception {
		JdbcInbox inbox = inbox();
		HandlerInfo handler = handlerInfo("concurrent");
		ExecutorService instances = Executors.newFixedThreadPool(2);
		this.closeables.add(instances::shutdownNow);
		for (int round = 0; round < 20; round++) {
			Event<Map<String, Object>> event = new Event<>("same-moment-" + round, "order.placed", "urn:test", null,
					null, null, null, Map.of(), Map.of("n", round));
			CyclicBarrier together = new CyclicBarrier(2);
			List<Future<Boolean>> runs = new ArrayList<>();
			for (int instance = 0; instance < 2; instance++) {
				runs.add(instances.submit(() -> {
					together.await(10, TimeUnit.SECONDS);
					try {
						return inbox.handleOnce(handler, event, (handled) -> effect(handled.id(), "concurrent"));
					}
					catch (Throwable ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
			List<Boolean> ran = new ArrayList<>();
			for (Future<Boolean> run : runs) {
				ran.add(run.get(30, TimeUnit.SECONDS));
			}
			assertThat(ran).as("round %d: one instance ran the handler, the other found the claim", round)
				.containsExactlyInAnyOrder(true, false);
			assertThat(effectsOf(event.id())).isEqualTo(1);
		}
	}

	@Test
	void expiredClaimsAreDeletedInBatches() {
		JdbcInbox inbox = inbox();
		HandlerInfo handler = handlerInfo("expiring");
		for (int i = 0; i < 5; i++) {
			Event<Map<String, Object>> event = new Event<>("expiring-" + i, "order.placed", "urn:test", null, null,
					null, null, Map.of(), Map.of("n", i));
			try {
				inbox.handleOnce(handler, event, (handled) -> {
				});
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}
		assertThat(inbox.deleteExpired(Duration.ofHours(1))).as("none is older than an hour").isZero();
		assertThat(inbox.deleteExpired(Duration.ofMillis(-1000))).isEqualTo(5);
		assertThat(claims()).isZero();
	}

	@Test
	void aRowThatFailsItsLastSendWaitsAsADeadLetterThatCanBeReplayedOrPurged() {
		EventBus bus = bus("group-" + this.suffix,
				new RetrySettings(1, Duration.ofMillis(50), 1.0, Duration.ofMillis(50), Duration.ZERO));
		String broken = "broken-" + this.suffix;
		connectionFactory.getConnection().stringCommands().set(broken.getBytes(), "not a stream".getBytes());
		for (String id : List.of("refused-1", "refused-2")) {
			this.transactions.executeWithoutResult((status) -> bus.publisher()
				.publish(EventMessage.of("order.placed", Map.of("n", 1)).id(id).destination(broken).build()));
		}
		Awaits.await(WAIT, () -> bus.deadLetters().list(broken, 10).size() == 2,
				() -> "dead letters of " + broken + ": " + bus.deadLetters().list(broken, 10));
		DeadLetter deadLetter = bus.deadLetters().list(broken, 10).get(0);
		assertThat(deadLetter.id()).isEqualTo("refused-1");
		assertThat(deadLetter.type()).isEqualTo("order.placed");
		assertThat(deadLetter.handler()).isEqualTo("outbox-relay");
		assertThat(deadLetter.attempts()).isEqualTo(2);
		assertThat(deadLetter.message()).contains("WRONGTYPE");
		assertThat(pendingRows()).isZero();
		connectionFactory.getConnection().keyCommands().del(broken.getBytes());
		assertThat(bus.deadLetters().replay(broken, "refused-1")).isTrue();
		assertThat(connectionFactory.getConnection().streamCommands().xLen(broken.getBytes()))
			.as("the replayed event is on the stream")
			.isEqualTo(1);
		assertThat(bus.deadLetters().purge(broken)).isEqualTo(1);
		assertThat(bus.deadLetters().list(broken, 10)).isEmpty();
		assertThat(rows()).isZero();
	}

	@Test
	void theLogKeepsTheEventsOfASubjectInPublishOrderAndTheTrailOfACorrelationId() {
		Recorder recorder = new Recorder();
		EventBus bus = bus(recorder);
		for (int n = 0; n < 5; n++) {
			int sequence = n;
			this.transactions.executeWithoutResult((status) -> bus.publisher()
				.publish(EventMessage.of("order.updated", Map.of("n", sequence))
					.subject("o-log")
					.correlationId("flow-1")
					.build()));
		}
		bus.publisher()
			.publish(EventMessage.of("order.audited", Map.of("n", 5))
				.subject("o-other")
				.correlationId("flow-1")
				.build());
		Awaits.await(WAIT, () -> this.log.forCorrelation("flow-1").size() == 6,
				() -> "trail of flow-1: " + this.log.forCorrelation("flow-1").size());
		assertThat(this.log.forSubject("o-log")).extracting((logged) -> sequenceOf(logged.event()))
			.containsExactly(0, 1, 2, 3, 4);
		assertThat(this.log.forCorrelation("flow-1")).extracting((logged) -> logged.event().subject())
			.containsExactly("o-log", "o-log", "o-log", "o-log", "o-log", "o-other");
		assertThat(this.log.find(EventLog.EventLogQuery.all().withTypes("order.aud*")))
			.extracting((logged) -> logged.event().type())
			.containsExactly("order.audited");
	}

	@Test
	void aTransactionThatRollsBackLogsNothingAndARedeliveredEventIsLoggedOnce() {
		EventBus bus = bus(new Recorder());
		this.transactions.executeWithoutResult((status) -> {
			bus.publisher().publish(EventMessage.of("order.placed", Map.of("n", 1)).subject("o-rb").build());
			status.setRollbackOnly();
		});
		Event<Map<String, Object>> consumed = new Event<>("consumed-1", "order.placed", "urn:other", null, "o-c", null,
				null, Map.of(), Map.of("n", 1));
		this.log.record(consumed, "orders");
		this.log.record(consumed, "orders");
		assertThat(this.log.forSubject("o-rb")).isEmpty();
		assertThat(this.log.forSubject("o-c")).hasSize(1);
	}

	@Test
	void aProjectionRebuiltByReplayEqualsTheOneBuiltLiveAndEachEventOfTheQueryIsReplayedOnce() {
		Projection projection = new Projection();
		EventBus bus = bus(projection);
		for (int n = 0; n < 20; n++) {
			bus.publisher().publish(EventMessage.of("order.updated", Map.of("n", n)).subject("p-" + (n % 4)).build());
		}
		Awaits.await(WAIT,
				() -> projection.live.values().stream().mapToInt(List::size).sum() == 20
						&& this.log.find(EventLog.EventLogQuery.all().withTypes("order.*")).size() == 20,
				() -> "live " + projection.live + ", logged "
						+ this.log.find(EventLog.EventLogQuery.all().withTypes("order.*")).size());
		EventLogReplays replays = new EventLogReplays(this.log, bus.adapter(), bus.codec());
		this.closeables.add(replays);
		EventLogReplays.Replay started = replays.start(EventLog.EventLogQuery.all().withTypes("order.*").withLimit(7),
				"group-" + this.suffix, "projection");
		for (int n = 20; n < 30; n++) {
			bus.publisher().publish(EventMessage.of("order.updated", Map.of("n", n)).subject("p-" + (n % 4)).build());
		}
		Awaits.await(WAIT, () -> replays.find(started.id()).orElseThrow().state() != EventLogReplays.State.RUNNING,
				() -> "replay: " + replays.find(started.id()));
		EventLogReplays.Replay ended = replays.find(started.id()).orElseThrow();
		assertThat(ended.state()).isEqualTo(EventLogReplays.State.COMPLETED);
		assertThat(ended.replayed()).as("bounded by the position when it started").isEqualTo(20);
		Awaits.await(WAIT, () -> projection.replayed.values().stream().mapToInt(List::size).sum() == 20,
				() -> "replayed so far: " + projection.replayed);
		Map<String, List<Integer>> liveUpToTheReplay = new java.util.TreeMap<>();
		projection.live.forEach((subject, sequences) -> liveUpToTheReplay.put(subject,
				sequences.stream().filter((sequence) -> sequence < 20).toList()));
		assertThat(new java.util.TreeMap<>(projection.replayed)).as("rebuilt by replay, in order, each once")
			.isEqualTo(liveUpToTheReplay);
	}

	@Test
	void theStateOfASubjectAsOfATimeAndRetentionByCountAndAge() {
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		for (int n = 0; n < 5; n++) {
			this.log.record(new Event<>("state-" + n, "order.updated", "urn:test", start.plusSeconds(n * 60L), "o-s",
					null, null, Map.of(), Map.of("n", n)), "orders");
		}
		assertThat(this.log.forSubject("o-s", start.plusSeconds(120)))
			.extracting((logged) -> sequenceOf(logged.event()))
			.containsExactly(0, 1, 2);
		assertThat(this.log.keepNewest(3)).isEqualTo(2);
		assertThat(this.log.forSubject("o-s")).extracting((logged) -> sequenceOf(logged.event()))
			.containsExactly(2, 3, 4);
		assertThat(this.log.deleteOlderThan(Duration.ofHours(1))).isZero();
		assertThat(this.log.deleteOlderThan(Duration.ofMillis(-1000))).isEqualTo(3);
	}

	static int sequenceOf(Event<?> event) {
		Object payload = event.payload();
		if (payload instanceof Map<?, ?> map) {
			return ((Number) map.get("n")).intValue();
		}
		return ((tools.jackson.databind.JsonNode) payload).get("n").asInt();
	}

	EventBus bus(Object... handlers) {
		return bus("group-" + this.suffix, handlers);
	}

	EventBus bus(String group, Object... handlers) {
		return bus(group, FAST_RETRY, handlers);
	}

	EventBus bus(String group, RetrySettings relayRetry, Object... handlers) {
		RedisEventBusAdapter adapter = new RedisEventBusAdapter(connectionFactory,
				RedisStreamSettings.of("consumer-" + group).withPollTimeout(Duration.ofMillis(200)));
		JsonMapper jsonMapper = JsonMapper.builder().build();
		JdbcOutbox outbox = new JdbcOutbox(this.dataSource, this.tables, jsonMapper);
		OutboxRelay relay = new OutboxRelay(outbox, this.dataSource, adapter,
				new JsonEventCodec(jsonMapper, PlainJsonMapping.DEFAULT),
				OutboxSettings.DEFAULTS.withSweepInterval(Duration.ofMillis(100))
					.withRetry(relayRetry)
					.withSendTimeout(Duration.ofSeconds(3)));
		EventLogRecorder recorder = new EventLogRecorder(this.log, List.of());
		this.closeables.add(recorder);
		EventBus bus = EventBus.builder()
			.adapter(adapter)
			.decorateAdapter((delegate) -> new OutboxEventBusAdapter(delegate, outbox, relay, ".dlq"))
			.inbox(inbox())
			.interceptor(recorder)
			.source("urn:test")
			.defaultGroup(group)
			.defaultDestination("orders-" + this.suffix)
			.handlerDefaults(HandlerDefaults.DEFAULTS.withGroup(group)
				.withRetry(new RetrySettings(3, Duration.ofMillis(50), 1.0, Duration.ofMillis(50), Duration.ZERO)))
			.build();
		for (Object handler : handlers) {
			bus.registerHandlers(handler.getClass().getSimpleName(), handler);
		}
		bus.start();
		relay.start();
		this.closeables.add(adapter);
		this.closeables.add(bus);
		this.closeables.add(relay);
		Awaits.await(WAIT,
				() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				() -> "subscriptions: " + bus.subscriptions());
		return bus;
	}

	static int redisPort() {
		return redis.port();
	}

	JdbcInbox inbox() {
		return new JdbcInbox(this.dataSource, new DataSourceTransactionManager(this.dataSource), this.platform,
				this.tables);
	}

	HandlerInfo handlerInfo(String id) {
		return new HandlerInfo(id, null, "test", List.of("order.*"), "group-" + this.suffix, List.of("orders"), 1, null,
				RetrySettings.DEFAULTS, true, null, false, null, true);
	}

	void effect(String eventId, String handler) {
		this.jdbc.sql("INSERT INTO " + effects() + " (event_id, handler) VALUES (?, ?)")
			.params(eventId, handler)
			.update();
	}

	int effectsOf(String eventId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + effects() + " WHERE event_id = ?")
			.param(eventId)
			.query(Integer.class)
			.single();
	}

	int claims() {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + this.tables.inbox()).query(Integer.class).single();
	}

	int rows() {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + this.tables.outbox()).query(Integer.class).single();
	}

	int pendingRows() {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + this.tables.outbox() + " WHERE status = 'PENDING'")
			.query(Integer.class)
			.single();
	}

	int attemptsOf(String eventId) {
		return this.jdbc.sql("SELECT COALESCE(MAX(attempts), 0) FROM " + this.tables.outbox() + " WHERE event_id = ?")
			.param(eventId)
			.query(Integer.class)
			.single();
	}

	private String effects() {
		return this.tables.prefix() + "effects";
	}

	/**
	 * A projection: the sequences of each subject, built live and, apart, by replays.
	 */
	static final class Projection {

		final Map<String, List<Integer>> live = new java.util.concurrent.ConcurrentHashMap<>();

		final Map<String, List<Integer>> replayed = new java.util.concurrent.ConcurrentHashMap<>();

		@EventHandler(id = "projection", types = "order.*")
		void on(Event<Map<String, Object>> event) {
			Map<String, List<Integer>> target = (event.header(EventLogReplays.REPLAY_HEADER) != null) ? this.replayed
					: this.live;
			target.computeIfAbsent(event.subject(), (key) -> new CopyOnWriteArrayList<>()).add(sequenceOf(event));
		}

	}

	/**
	 * Records the ids of the events it gets.
	 */
	static final class Recorder {

		final List<String> ids = new CopyOnWriteArrayList<>();

		@EventHandler(id = "recorder", types = "order.*")
		void on(Event<Map<String, Object>> event) {
			this.ids.add(event.id());
		}

	}

	/**
	 * An idempotent handler whose effect is a row; optionally failing its first call
	 * after writing the row.
	 */
	static final class Effects {

		final AtomicInteger calls = new AtomicInteger();

		private final AbstractOutboxInboxTests tests;

		private final String name;

		private final boolean failFirst;

		Effects(AbstractOutboxInboxTests tests, String name, boolean failFirst) {
			this.tests = tests;
			this.name = name;
			this.failFirst = failFirst;
		}

		@EventHandler(id = "effects", types = "order.*", idempotent = "true")
		void on(Event<Map<String, Object>> event) {
			this.tests.effect(event.id(), this.name);
			if (this.calls.incrementAndGet() == 1 && this.failFirst) {
				throw new IllegalStateException("the first call fails after its effect");
			}
		}

	}

}
