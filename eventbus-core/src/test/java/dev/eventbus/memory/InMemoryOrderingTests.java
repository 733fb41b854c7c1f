package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.spi.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for ordering per key and retries of {@link InMemoryEventBusAdapter}.
 */
class InMemoryOrderingTests {

	private static final int KEYS = 8;

	private static final int PER_KEY = 50;

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(
			InMemoryAdapterSettings.DEFAULTS.withMaxThreads(8));

	private final ConcurrentMap<String, List<Integer>> handled = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, AtomicInteger> running = new ConcurrentHashMap<>();

	private final Set<String> overlaps = ConcurrentHashMap.newKeySet();

	@AfterEach
	void close() {
		this.adapter.close();
	}

	@Test
	void retriedMessageIsRedeliveredBeforeLaterMessagesOfItsKey() {
		AtomicInteger retries = new AtomicInteger();
		this.adapter.subscribe(InMemoryEventBusAdapterTests.spec("orders", "billing", 4), (delivery) -> {
			Event<?> event = delivery.event();
			String key = event.subject();
			if (this.running.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet() > 1) {
				this.overlaps.add(key);
			}
			try {
				int sequence = TestMessages.sequenceOf(event);
				if (sequence % 7 == 0 && delivery.attempt() < 3) {
					retries.incrementAndGet();
					delivery.retry(Duration.ofMillis(5));
					return;
				}
				this.handled.computeIfAbsent(key, (k) -> new ArrayList<>()).add(sequence);
			}
			finally {
				this.running.get(key).decrementAndGet();
			}
			delivery.ack();
		});
		publishAll();
		awaitAllHandled();
		assertThat(retries.get()).isEqualTo(2 * KEYS * ((PER_KEY + 6) / 7));
		assertOrderedPerKey();
	}

	@Test
	void listenerFailuresKeepOrderPerKeyAcrossCompetingMembers() {
		for (int member = 0; member < 3; member++) {
			this.adapter.subscribe(InMemoryEventBusAdapterTests.spec("orders", "billing", 4), (delivery) -> {
				Event<?> event = delivery.event();
				String key = event.subject();
				if (this.running.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet() > 1) {
					this.overlaps.add(key);
				}
				try {
					int sequence = TestMessages.sequenceOf(event);
					if (sequence % 11 == 0 && delivery.attempt() == 1) {
						throw new IllegalStateException("fails once: " + sequence);
					}
					this.handled.computeIfAbsent(key, (k) -> new ArrayList<>()).add(sequence);
				}
				finally {
					this.running.get(key).decrementAndGet();
				}
				delivery.ack();
			});
		}
		publishAll();
		awaitAllHandled();
		assertOrderedPerKey();
	}

	private void publishAll() {
		for (int i = 0; i < PER_KEY; i++) {
			for (int key = 0; key < KEYS; key++) {
				this.adapter.send(TestMessages.message("orders", "key-" + key, i)).join();
			}
		}
	}

	private void awaitAllHandled() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.handled.values().stream().mapToInt(List::size).sum() == KEYS * PER_KEY);
	}

	private void assertOrderedPerKey() {
		assertThat(this.overlaps).as("keys delivered concurrently").isEmpty();
		List<Integer> expected = new ArrayList<>();
		for (int i = 0; i < PER_KEY; i++) {
			expected.add(i);
		}
		assertThat(this.handled).hasSize(KEYS);
		for (Map.Entry<String, List<Integer>> perKey : this.handled.entrySet()) {
			assertThat(perKey.getValue()).as("order of %s", perKey.getKey()).containsExactlyElementsOf(expected);
		}
	}

}
