package dev.eventbus.benchmarks;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventMessage;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLogRecorder;
import dev.eventbus.jdbc.JdbcOutbox;
import dev.eventbus.jdbc.JdbcPlatform;
import dev.eventbus.jdbc.JdbcSchema;
import dev.eventbus.jdbc.JdbcTables;
import dev.eventbus.jdbc.OutboxEventBusAdapter;
import dev.eventbus.jdbc.OutboxRelay;
import dev.eventbus.jdbc.OutboxSettings;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox on PostgreSQL against its floors, in paired rounds in one JVM, with Redis as
 * the broker.
 * <p>
 * Publishing, one event per transaction: {@code outbox-publish} (a publish in a
 * transaction: the bus encodes the event and inserts its row), {@code plain-insert} (the
 * same row, already encoded, inserted with plain JDBC in a transaction: the floor) and
 * {@code direct-publish} (a publish without a transaction, sent to Redis at once).
 * <p>
 * With the event log: {@code outbox-publish-logged} and {@code direct-publish-logged},
 * the same publishes on a bus that records them in the log (in the transaction for the
 * first, on the log's thread for the second).
 * <p>
 * Relaying: {@code relay} (rows already in the outbox, sent to Redis and deleted by the
 * relay, rows per second) against {@code direct-async} (the same number of events
 * published without a transaction, 100 in flight at once, as the relay sends a batch).
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.eventbus.benchmarks.OutboxComparison [rounds]}, with PostgreSQL at
 * {@code bench.jdbc.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code bench.jdbc.user}, default {@code postgres}); rounds default to 7 after 2 warm-up
 * rounds of {@code bench.roundMillis} (default 1,500) each.
 */
public final class OutboxComparison {

	private static final int WARMUPS = 2;

	private static final int RELAY_EVENTS = 5_000;

	private OutboxComparison() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 7;
		long roundNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("bench.roundMillis", 1_500));
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(System.getProperty("bench.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"));
		dataSource.setUsername(System.getProperty("bench.jdbc.user", "postgres"));
		dataSource.setPassword(System.getProperty("bench.jdbc.password", ""));
		JdbcTables tables = new JdbcTables("bench" + UUID.randomUUID().toString().substring(0, 8) + "_");
		JdbcSchema.create(dataSource, JdbcPlatform.of(dataSource), tables);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		JsonMapper jsonMapper = JsonMapper.builder().build();
		JsonEventCodec codec = new JsonEventCodec(jsonMapper, PlainJsonMapping.DEFAULT);
		JdbcOutbox outbox = new JdbcOutbox(dataSource, tables, jsonMapper);
		try (RedisServer redis = RedisServer.start()) {
			LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
			connectionFactory.afterPropertiesSet();
			connectionFactory.start();
			RedisEventBusAdapter adapter = new RedisEventBusAdapter(connectionFactory, RedisStreamSettings.of("bench"));
			OutboxRelay relay = new OutboxRelay(outbox, dataSource, adapter, codec, OutboxSettings.DEFAULTS);
			EventBus bus = EventBus.builder()
				.adapter(adapter)
				.decorateAdapter((delegate) -> new OutboxEventBusAdapter(delegate, outbox, relay, ".dlq"))
				.source("urn:bench")
				.defaultDestination("bench")
				.build();
			bus.start();
			EventLog log = new EventLog(dataSource, JdbcPlatform.of(dataSource), tables, codec, jsonMapper);
			EventLogRecorder recorder = new EventLogRecorder(log, List.of());
			EventBus logged = EventBus.builder()
				.adapter(adapter)
				.decorateAdapter((delegate) -> new OutboxEventBusAdapter(delegate, outbox, relay, ".dlq"))
				.interceptor(recorder)
				.source("urn:bench")
				.defaultDestination("bench")
				.build();
			logged.start();
			Map<String, IntConsumer> publishing = new LinkedHashMap<>();
			publishing.put("outbox-publish",
					(n) -> transactions.executeWithoutResult((status) -> bus.publisher().publish(message(n))));
			publishing.put("plain-insert", (n) -> {
				EncodedMessage encoded = OutboundMessage.ofEvent("bench", event(n), codec)
					.encoded(ContentMode.STRUCTURED);
				transactions.executeWithoutResult((status) -> jdbc
					.sql("INSERT INTO " + tables.outbox() + " (event_id, destination, subject, headers, body, status,"
							+ " attempts, created_at, available_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")
					.params(UUID.randomUUID().toString(), "bench", "s-" + (n % 50),
							jsonMapper.writeValueAsString(encoded.headers()), encoded.body(), "PENDING",
							Timestamp.from(Instant.now()), Timestamp.from(Instant.now()))
					.update());
			});
			publishing.put("direct-publish", (n) -> bus.publisher().publish(message(n)));
			publishing.put("outbox-publish-logged",
					(n) -> transactions.executeWithoutResult((status) -> logged.publisher().publish(message(n))));
			publishing.put("direct-publish-logged", (n) -> logged.publisher().publish(message(n)));
			Map<String, List<Double>> rates = new LinkedHashMap<>();
			publishing.keySet().forEach((name) -> rates.put(name, new ArrayList<>()));
			rates.put("relay", new ArrayList<>());
			rates.put("direct-async", new ArrayList<>());
			for (int round = -WARMUPS; round < rounds; round++) {
				for (Map.Entry<String, IntConsumer> setup : publishing.entrySet()) {
					double rate = run(setup.getValue(), roundNanos);
					if (round >= 0) {
						rates.get(setup.getKey()).add(rate);
					}
				}
				jdbc.sql("DELETE FROM " + tables.outbox()).update();
				fill(transactions, bus, RELAY_EVENTS);
				long start = System.nanoTime();
				while (relay.relayOnce() > 0) {
					// rounds follow each other while they find rows, as on the relay's
					// thread
				}
				double relayRate = RELAY_EVENTS * 1e9 / (System.nanoTime() - start);
				double directRate = directAsync(bus, RELAY_EVENTS);
				if (round >= 0) {
					rates.get("relay").add(relayRate);
					rates.get("direct-async").add(directRate);
				}
			}
			System.out.printf("OutboxComparison: %d rounds on %s, Redis %s%n", rounds, dataSource.getJdbcUrl(),
					redis.version());
			rates.forEach((name, measured) -> System.out.printf("%-16s %,12.0f events/s%n", name,
					Comparison.median(measured, Double::doubleValue)));
			System.out.printf("outbox-publish / plain-insert: %.2fx (paired)%n", Comparison
				.pairedRatio(rates.get("outbox-publish"), rates.get("plain-insert"), Double::doubleValue));
			System.out.printf("outbox-publish / direct-publish: %.2fx (paired)%n", Comparison
				.pairedRatio(rates.get("outbox-publish"), rates.get("direct-publish"), Double::doubleValue));
			System.out.printf("outbox-publish-logged / outbox-publish: %.2fx (paired)%n", Comparison
				.pairedRatio(rates.get("outbox-publish-logged"), rates.get("outbox-publish"), Double::doubleValue));
			System.out.printf("direct-publish-logged / direct-publish: %.2fx (paired)%n", Comparison
				.pairedRatio(rates.get("direct-publish-logged"), rates.get("direct-publish"), Double::doubleValue));
			System.out.printf("relay / direct-publish: %.2fx (paired)%n",
					Comparison.pairedRatio(rates.get("relay"), rates.get("direct-publish"), Double::doubleValue));
			System.out.printf("relay / direct-async: %.2fx (paired)%n",
					Comparison.pairedRatio(rates.get("relay"), rates.get("direct-async"), Double::doubleValue));
			logged.close();
			recorder.close();
			bus.close();
			adapter.close();
			connectionFactory.destroy();
		}
		finally {
			jdbc.sql("DROP TABLE " + tables.outbox()).update();
			jdbc.sql("DROP TABLE " + tables.inbox()).update();
			jdbc.sql("DROP TABLE " + tables.eventLog()).update();
			dataSource.close();
		}
	}

	private static double run(IntConsumer publish, long roundNanos) {
		long start = System.nanoTime();
		int events = 0;
		while (System.nanoTime() - start < roundNanos) {
			publish.accept(events++);
		}
		return events * 1e9 / (System.nanoTime() - start);
	}

	private static void fill(TransactionTemplate transactions, EventBus bus, int events) {
		for (int batch = 0; batch < events; batch += 500) {
			int first = batch;
			transactions.executeWithoutResult((status) -> {
				for (int n = first; n < first + 500 && n < events; n++) {
					bus.publisher().publish(message(n));
				}
			});
		}
	}

	private static double directAsync(EventBus bus, int events) {
		long start = System.nanoTime();
		for (int batch = 0; batch < events; batch += 100) {
			List<CompletableFuture<?>> sends = new ArrayList<>();
			for (int n = batch; n < batch + 100 && n < events; n++) {
				sends.add(bus.publisher().publishAsync(message(n)));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
		}
		return events * 1e9 / (System.nanoTime() - start);
	}

	private static EventMessage<Sample> message(int n) {
		return EventMessage.of("bench.event", Payloads.sample(n, 0)).subject("s-" + (n % 50)).build();
	}

	private static Event<Sample> event(int n) {
		return new Event<>(UUID.randomUUID().toString(), "bench.event", "urn:bench", Instant.now(), "s-" + (n % 50),
				null, null, Map.of(), Payloads.sample(n, 0));
	}

}
