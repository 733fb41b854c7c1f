package dev.eventbus.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox and inbox on PostgreSQL, the production default, and what only it is tested
 * for: several relays sharing one outbox.
 */
class PostgresOutboxInboxTests extends AbstractOutboxInboxTests {

	@Override
	DataSource database() {
		return TestDatabases.postgresql();
	}

	@Test
	void twoRelaysOverFiftySubjectsKeepTheOrderOfEachAndLoseNothing() {
		Sequences sequences = new Sequences();
		EventBus first = bus(sequences);
		EventBus second = bus("relay-only-" + this.suffix);
		int subjects = 50;
		int perSubject = 100;
		for (int sequence = 0; sequence < perSubject; sequence++) {
			int current = sequence;
			EventBus publisher = (sequence % 2 == 0) ? first : second;
			this.transactions.executeWithoutResult((status) -> {
				for (int subject = 0; subject < subjects; subject++) {
					publisher.publisher()
						.publish(EventMessage.of("order.updated", Map.of("sequence", current))
							.subject("s-" + subject)
							.build());
				}
			});
		}
		Awaits.await(Duration.ofSeconds(120), () -> sequences.total() >= subjects * perSubject,
				() -> "received " + sequences.total() + " of " + subjects * perSubject);
		assertThat(sequences.bySubject).hasSize(subjects);
		sequences.bySubject.forEach((subject, received) -> assertThat(received).as("sequences of %s", subject)
			.containsExactlyElementsOf(IntStream.range(0, perSubject).boxed().toList()));
		Awaits.await(WAIT, () -> rows() == 0, () -> "rows left: " + rows());
	}

	@Test
	void aRelayKilledAfterTheBrokerTookARowSendsItAgainAndAnIdempotentHandlerAppliesItOnce() throws Exception {
		this.transactions.executeWithoutResult(
				(status) -> new JdbcOutbox(this.dataSource, this.tables, JsonMapper.builder().build()).add(
						OutboundMessage.ofEvent("orders-" + this.suffix,
								new Event<>("sent-twice", "order.placed", "urn:test", null, "o-1", null, null, Map.of(),
										Map.of("n", 1)),
								new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT)),
						Instant.now()));
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		Process relay = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), RelayThatDiesAfterSending.class.getName(), pool.getJdbcUrl(),
				pool.getUsername(), (pool.getPassword() != null) ? pool.getPassword() : "", this.tables.prefix(),
				Integer.toString(redisPort()))
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			List<String> lines = new ArrayList<>();
			while ((line = output.readLine()) != null && !line.equals("SENT sent-twice")) {
				lines.add(line);
			}
			assertThat(line).as("output of the relay JVM: %s", lines).isEqualTo("SENT sent-twice");
			relay.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
		finally {
			relay.destroyForcibly();
		}
		assertThat(pendingRows()).as("the killed relay never marked the row").isEqualTo(1);
		Recorder deliveries = new Recorder();
		Effects effects = new Effects(this, "effects", false);
		EventBus bus = bus(deliveries, effects);
		Awaits.await(WAIT, () -> deliveries.ids.size() == 2, () -> "deliveries: " + deliveries.ids);
		assertThat(deliveries.ids).as("sent by the killed relay, then again by the next")
			.containsExactly("sent-twice", "sent-twice");
		Awaits.await(WAIT, () -> bus.statistics().count("effects", Counter.DUPLICATES) == 1,
				() -> "the idempotent handler saw no duplicate");
		assertThat(effectsOf("sent-twice")).as("applied once").isEqualTo(1);
		Awaits.await(WAIT, () -> rows() == 0, () -> "rows left: " + rows());
	}

	/**
	 * Records the sequence numbers of each subject, in the order received.
	 */
	static final class Sequences {

		final Map<String, List<Integer>> bySubject = new ConcurrentHashMap<>();

		@EventHandler(id = "sequences", types = "order.updated")
		synchronized void on(Event<Map<String, Object>> event) {
			this.bySubject.computeIfAbsent(event.subject(), (key) -> new ArrayList<>())
				.add(((Number) event.payload().get("sequence")).intValue());
		}

		synchronized int total() {
			return this.bySubject.values().stream().mapToInt(List::size).sum();
		}

	}

}
