package dev.eventbus.memory;

import dev.eventbus.spi.OutboundMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryLane}.
 */
class MemoryLaneTests {

	private static final OutboundMessage MESSAGE = TestMessages.message("orders", "a", 1);

	@Test
	void removeWaitingFindsTheEntryItselfNotAnEqualOne() {
		MemoryLane lane = new MemoryLane();
		MemoryEntry first = new MemoryEntry(MESSAGE, 7);
		MemoryEntry samePosition = new MemoryEntry(MESSAGE, 7);
		assertThat(first).isEqualTo(samePosition);
		lane.inbox().push(first);
		lane.inbox().push(samePosition);
		assertThat(lane.queued()).isEqualTo(2);
		assertThat(lane.removeWaiting(samePosition)).isTrue();
		assertThat(lane.removeWaiting(samePosition)).isFalse();
		assertThat(lane.queued()).isEqualTo(1);
		assertThat(lane.removeWaiting(first)).isTrue();
		assertThat(lane.queued()).isZero();
	}

}
