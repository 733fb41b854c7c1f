package dev.eventbus.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how long a drain task lets arrivals pile up ({@link MemoryGroup#gatherWait}).
 */
class MemoryGroupGatherTests {

	@Test
	void aFullBatchIsTakenAtOnce() {
		assertThat(MemoryGroup.gatherWait(MemoryGroup.GATHER_BATCH, 1_000)).isZero();
		assertThat(MemoryGroup.gatherWait(MemoryGroup.GATHER_BATCH + 1, -1)).isZero();
	}

	@Test
	void withoutATimedBatchTheWaitIsShort() {
		assertThat(MemoryGroup.gatherWait(1, -1)).isEqualTo(MemoryGroup.GATHER_UNTIMED_NANOS);
	}

	@Test
	void theWaitIsWhatTheRestOfABatchTakesAtTheRateSeen() {
		// 16 arrived in 4 µs, one per 250 ns: the other 48 take 12 µs
		assertThat(MemoryGroup.gatherWait(16, 4_000)).isEqualTo(12_000);
		// 32 in 1.6 µs: 32 more in another 1.6 µs
		assertThat(MemoryGroup.gatherWait(32, 1_600)).isEqualTo(1_600);
	}

	@Test
	void aSlowPublisherIsWaitedForAtMostTheLimit() {
		assertThat(MemoryGroup.gatherWait(1, 10_000)).isEqualTo(MemoryGroup.GATHER_MAX_NANOS);
		assertThat(MemoryGroup.gatherWait(2, Long.MAX_VALUE)).isEqualTo(MemoryGroup.GATHER_MAX_NANOS);
	}

}
