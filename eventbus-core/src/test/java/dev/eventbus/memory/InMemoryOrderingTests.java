package dev.eventbus.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
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

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

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

	@Test
	void concurrentPublishersMembersLeavingAndAcksFromOtherThreadsLoseNothingAndFreeAllRoom() throws Exception {
		int publishers = 4;
		int perPublisher = 5_000;
		InMemoryAdapterSettings settings = InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(64);
		InMemoryEventBusAdapter stressed = new InMemoryEventBusAdapter(settings);
		ExecutorService settlers = Executors.newFixedThreadPool(2);
		Set<String> seen = ConcurrentHashMap.newKeySet();
		AtomicInteger deliveries = new AtomicInteger();
		try {
			DeliveryListener listener = (delivery) -> {
				Event<?> event = delivery.event();
				seen.add(event.subject() + "/" + TestMessages.sequenceOf(event));
				int count = deliveries.incrementAndGet();
				if (count % 3 == 0) {
					settlers.execute(delivery::ack); // settled later, on another thread
				}
				else {
					delivery.ack(); // settled on the drain thread
				}
			};
			Subscription steady = stressed.subscribe(InMemoryEventBusAdapterTests.spec("orders", "billing", 4),
					listener);
			ExecutorService sending = Executors.newFixedThreadPool(publishers);
			List<Future<?>> sent = new ArrayList<>();
			for (int p = 0; p < publishers; p++) {
				String key = "publisher-" + p;
				sent.add(sending.submit(() -> {
					for (int i = 0; i < perPublisher; i++) {
						stressed.send(TestMessages.message("orders", key, i)).join();
					}
				}));
			}
			for (int round = 0; round < 5; round++) {
				AtomicInteger received = new AtomicInteger();
				Subscription passing = stressed.subscribe(InMemoryEventBusAdapterTests.spec("orders", "billing", 4),
						(delivery) -> {
							received.incrementAndGet();
							listener.onDelivery(delivery);
						});
				await().atMost(Duration.ofSeconds(10))
					.until(() -> received.get() > 0 || sent.stream().allMatch(Future::isDone));
				passing.close(Duration.ZERO); // hands its unsettled deliveries back
			}
			for (Future<?> future : sent) {
				future.get(60, TimeUnit.SECONDS);
			}
			sending.shutdown();
			await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == publishers * perPublisher);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ((Number) steady.details().get("queued")).intValue() == 0
						&& ((Number) steady.details().get("inFlight")).intValue() == 0);
			steady.close(Duration.ofSeconds(1));
			// every unit of room was given back: with no member left, exactly the
			// capacity fits again
			for (int i = 0; i < 64; i++) {
				assertThat(stressed.send(TestMessages.message("orders", "after", i))).isCompleted();
			}
			assertThat(stressed.send(TestMessages.message("orders", "after", 64))).isCompletedExceptionally();
		}
		finally {
			settlers.shutdownNow();
			stressed.close();
		}
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
