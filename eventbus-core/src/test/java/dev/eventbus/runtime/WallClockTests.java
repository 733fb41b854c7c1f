package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link WallClock}.
 */
class WallClockTests {

	private static final Duration TOLERANCE = Duration.ofMillis(50);

	private final WallClock clock = new WallClock();

	@Test
	void monotonicReadingIsTurnedIntoTheWallClockTime() {
		Instant before = Instant.now();
		Instant time = this.clock.at(System.nanoTime());
		Instant after = Instant.now();
		assertThat(time).isBetween(before.minus(TOLERANCE), after.plus(TOLERANCE));
	}

	@Test
	void readingsKeepTheirDistanceWithinTheSecondOfOneOffset() {
		long now = System.nanoTime();
		Instant time = this.clock.at(now);
		assertThat(this.clock.at(now + 123_456_789L)).isEqualTo(time.plusNanos(123_456_789L));
		assertThat(this.clock.at(now - 987_654_321L)).isEqualTo(time.minusNanos(987_654_321L));
	}

	@Test
	void offsetIsReadAgainForAReadingMoreThanASecondAway() {
		Instant later = this.clock.at(System.nanoTime() + Duration.ofSeconds(5).toNanos());
		assertThat(later).isCloseTo(Instant.now().plusSeconds(5), within(TOLERANCE.toMillis(), ChronoUnit.MILLIS));
		Instant now = this.clock.at(System.nanoTime());
		assertThat(now).isCloseTo(Instant.now(), within(TOLERANCE.toMillis(), ChronoUnit.MILLIS));
	}

}
