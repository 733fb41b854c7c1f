package dev.eventbus.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.Test;

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
			.containsExactlyElementsOf(java.util.stream.IntStream.range(0, perSubject).boxed().toList()));
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
