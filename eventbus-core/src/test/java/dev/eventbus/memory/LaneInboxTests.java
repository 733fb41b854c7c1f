package dev.eventbus.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.eventbus.spi.OutboundMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LaneInbox}.
 */
class LaneInboxTests {

	private static final OutboundMessage MESSAGE = TestMessages.message("orders", "a", 1);

	private final LaneInbox inbox = new LaneInbox();

	@Test
	void pushReportsWhetherTheLaneWasBusy() {
		assertThat(this.inbox.push(entry(1))).isFalse();
		this.inbox.busy(true);
		assertThat(this.inbox.push(entry(2))).isTrue();
		this.inbox.busy(false);
		assertThat(this.inbox.push(entry(3))).isFalse();
	}

	@Test
	void messagesAreTakenOldestFirstAfterWhatTheQueueHeld() {
		ArrayDeque<MemoryEntry> queue = new ArrayDeque<>();
		queue.add(entry(0));
		assertThat(this.inbox.hasArrivals()).isFalse();
		for (int i = 1; i <= 600; i++) {
			this.inbox.push(entry(i));
		}
		assertThat(this.inbox.hasArrivals()).isTrue();
		this.inbox.takeAll(queue);
		assertThat(this.inbox.hasArrivals()).isFalse();
		assertThat(queue).extracting(MemoryEntry::number).hasSize(601).isSorted();
		this.inbox.takeAll(queue);
		assertThat(queue).hasSize(601);
	}

	@Test
	void visibleMessagesAreTakenOldestFirstAndCounted() {
		ArrayDeque<MemoryEntry> queue = new ArrayDeque<>();
		for (int i = 1; i <= 300; i++) {
			this.inbox.push(entry(i));
		}
		assertThat(this.inbox.arrivals()).isEqualTo(300);
		this.inbox.takeVisible(queue);
		assertThat(this.inbox.arrivals()).isZero();
		assertThat(this.inbox.hasArrivals()).isFalse();
		assertThat(queue).extracting(MemoryEntry::number).hasSize(300).isSorted();
	}

	@Test
	void takingVisibleMessagesWhilePublishersAddLosesNothing() throws Exception {
		takeWhilePublishing(3, 50_000, this.inbox::takeVisible);
	}

	@Test
	void concurrentPublishersLoseNothingAndEachOnesMessagesKeepTheirOrder() throws Exception {
		takeWhilePublishing(4, 50_000, this.inbox::takeAll);
	}

	/**
	 * Take messages while publishers add them, until all were taken, and check that none was lost
	 * and that each publisher's messages came in the order it added them.
	 */
	private void takeWhilePublishing(int publishers, int perPublisher, Consumer<ArrayDeque<MemoryEntry>> take)
			throws InterruptedException {
		List<Thread> pushing = startPublishers(publishers, perPublisher);
		ArrayDeque<MemoryEntry> taken = new ArrayDeque<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (taken.size() < publishers * perPublisher && System.nanoTime() < deadline) {
			take.accept(taken);
		}
		for (Thread publisher : pushing) {
			publisher.join(TimeUnit.SECONDS.toMillis(10));
		}
		assertEachPublishersOrder(taken, publishers, perPublisher);
	}

	private List<Thread> startPublishers(int publishers, int perPublisher) {
		List<Thread> pushing = new ArrayList<>();
		for (int p = 0; p < publishers; p++) {
			long first = (long) p * perPublisher;
			Thread publisher = new Thread(() -> {
				for (int i = 0; i < perPublisher; i++) {
					this.inbox.push(entry(first + i));
				}
			}, "publisher-" + p);
			publisher.start();
			pushing.add(publisher);
		}
		return pushing;
	}

	private void assertEachPublishersOrder(ArrayDeque<MemoryEntry> taken, int publishers, int perPublisher) {
		assertThat(taken).hasSize(publishers * perPublisher);
		long[] last = new long[publishers];
		Arrays.fill(last, -1);
		for (MemoryEntry entry : taken) {
			int publisher = (int) (entry.number() / perPublisher);
			assertThat(entry.number()).isGreaterThan(last[publisher]);
			last[publisher] = entry.number();
		}
		assertThat(this.inbox.hasArrivals()).isFalse();
	}

	private static MemoryEntry entry(long sequence) {
		return new MemoryEntry(MESSAGE, sequence);
	}

}
