package dev.eventbus.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the history and the dead-letter store of {@link InMemoryEventBusAdapter}.
 */
class InMemoryHistoryTests {

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(
			InMemoryAdapterSettings.DEFAULTS.withHistorySize(5));

	@AfterEach
	void close() {
		this.adapter.close();
	}

	@Test
	void historyRetainsOnlyTheNewestMessagesOfEachDestination() {
		List<String> ids = new ArrayList<>();
		for (int i = 1; i <= 8; i++) {
			Event<Map<String, Object>> event = TestMessages.event("subject-" + i, i);
			ids.add(event.id());
			this.adapter.send(TestMessages.message("orders", event)).join();
		}
		this.adapter.send(TestMessages.message("payments", "p", 1)).join();
		List<StoredMessage> history = this.adapter.history("orders", 100);
		assertThat(history).extracting(StoredMessage::messageId).containsExactly("4", "5", "6", "7", "8");
		assertThat(history).extracting(StoredMessage::key)
			.containsExactly("subject-4", "subject-5", "subject-6", "subject-7", "subject-8");
		assertThat(history).extracting(this::eventId).containsExactlyElementsOf(ids.subList(3, 8));
		assertThat(this.adapter.history("orders", 2)).extracting(StoredMessage::messageId).containsExactly("7", "8");
		assertThat(this.adapter.history("payments", 100)).hasSize(1);
		assertThat(this.adapter.history("unknown", 100)).isEmpty();
		this.adapter.clearHistory("orders");
		assertThat(this.adapter.history("orders", 100)).isEmpty();
		assertThat(this.adapter.history("payments", 100)).as("other destinations keep theirs").hasSize(1);
	}

	@Test
	void historyOfZeroSizeRetainsNothingButStillNumbersMessages() {
		InMemoryEventBusAdapter withoutHistory = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withHistorySize(0));
		try {
			withoutHistory.send(TestMessages.message("orders", "a", 1)).join();
			assertThat(withoutHistory.send(TestMessages.message("orders", "a", 2)).join().position()).isEqualTo("2");
			assertThat(withoutHistory.history("orders", 10)).isEmpty();
		}
		finally {
			withoutHistory.close();
		}
	}

	@Test
	void deadLetterStoreBrowsesOldestFirstRemovesAndPurges() {
		for (int i = 1; i <= 3; i++) {
			this.adapter
				.send(OutboundMessage.raw("orders.dlq", "k" + i, "dead-" + i,
						Map.of("eventbus-dlq-exception", "java.lang.IllegalStateException"), ("body-" + i).getBytes()))
				.join();
		}
		DeadLetterStore store = this.adapter.deadLetterStore().orElseThrow();
		List<StoredMessage> browsed = store.browse("orders.dlq", 2);
		assertThat(browsed).extracting(StoredMessage::messageId).containsExactly("1", "2");
		assertThat(browsed.get(0).headers()).containsEntry("eventbus-dlq-exception", "java.lang.IllegalStateException");
		assertThat(browsed.get(0).body()).asString().isEqualTo("body-1");
		assertThat(browsed.get(0).key()).isEqualTo("k1");
		assertThat(store.remove("orders.dlq", "2")).isTrue();
		assertThat(store.remove("orders.dlq", "2")).isFalse();
		assertThat(store.browse("orders.dlq", 10)).extracting(StoredMessage::messageId).containsExactly("1", "3");
		assertThat(store.purge("orders.dlq")).isEqualTo(2);
		assertThat(store.browse("orders.dlq", 10)).isEmpty();
		assertThat(store.purge("orders.dlq")).isZero();
		assertThat(store.browse("never-used.dlq", 10)).isEmpty();
		assertThat(store.remove("never-used.dlq", "1")).isFalse();
		assertThat(store.purge("never-used.dlq")).isZero();
	}

	@Test
	void deadLetterStoreKeepsAsManyMessagesAsTheHistory() {
		for (int i = 1; i <= 7; i++) {
			this.adapter.send(TestMessages.message("orders.dlq", "k", i)).join();
		}
		DeadLetterStore store = this.adapter.deadLetterStore().orElseThrow();
		assertThat(store.browse("orders.dlq", 100)).extracting(StoredMessage::messageId)
			.containsExactly("3", "4", "5", "6", "7");
	}

	@Test
	void historyFromConcurrentPublishersHoldsExactlyTheNewestMessages() throws Exception {
		InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withHistorySize(1_000));
		int publishers = 4;
		int each = 25_000;
		try {
			List<Thread> threads = new ArrayList<>();
			for (int publisher = 0; publisher < publishers; publisher++) {
				String key = "publisher-" + publisher;
				threads.add(new Thread(() -> {
					for (int i = 0; i < each; i++) {
						adapter.send(TestMessages.message("orders", key, i)).join();
					}
				}, key));
			}
			threads.forEach(Thread::start);
			for (Thread thread : threads) {
				thread.join();
			}
			List<String> expected = new ArrayList<>();
			for (int number = publishers * each - 999; number <= publishers * each; number++) {
				expected.add(Integer.toString(number));
			}
			assertThat(adapter.history("orders", 5_000)).extracting(StoredMessage::messageId)
				.containsExactlyElementsOf(expected);
		}
		finally {
			adapter.close();
		}
	}

	@Test
	void messagesSentAfterAPurgeAreRetained() {
		DeadLetterStore store = this.adapter.deadLetterStore().orElseThrow();
		for (int i = 1; i <= 3; i++) {
			this.adapter.send(TestMessages.message("orders.dlq", "k", i)).join();
		}
		assertThat(store.purge("orders.dlq")).isEqualTo(3);
		this.adapter.send(TestMessages.message("orders.dlq", "k", 4)).join();
		assertThat(store.browse("orders.dlq", 10)).extracting(StoredMessage::messageId).containsExactly("4");
		assertThat(store.remove("orders.dlq", "not-a-number")).isFalse();
		assertThat(store.remove("orders.dlq", "3")).isFalse();
	}

	@Test
	void historyRetainsExactlyItsSizeWhenTheRingIsRoundedUpToAPowerOfTwo() {
		for (int size : new int[] { 1, 3, 4, 5, 1_000 }) {
			InMemoryEventBusAdapter sized = new InMemoryEventBusAdapter(
					InMemoryAdapterSettings.DEFAULTS.withHistorySize(size));
			try {
				int sent = 3 * size + 2;
				for (int i = 1; i <= sent; i++) {
					sized.send(TestMessages.message("orders", "k", i)).join();
				}
				List<String> expected = new ArrayList<>();
				for (int number = sent - size + 1; number <= sent; number++) {
					expected.add(Long.toString(number));
				}
				assertThat(sized.history("orders", Integer.MAX_VALUE)).as("history of size %d", size)
					.extracting(StoredMessage::messageId)
					.containsExactlyElementsOf(expected);
				assertThat(sized.deadLetterStore().orElseThrow().remove("orders", Long.toString(sent - size)))
					.as("a number just out of the window of size %d", size)
					.isFalse();
			}
			finally {
				sized.close();
			}
		}
	}

	@Test
	void theResultOfAnAcceptedMessageIsItsPosition() {
		SendResult result = this.adapter.send(TestMessages.message("orders", "k", 1)).join();
		assertThat(result).isEqualTo(new SendResult("1"));
	}

	private String eventId(StoredMessage message) {
		return TestMessages.CODEC.decode(message.headers(), message.body(), "unused").id();
	}

}
