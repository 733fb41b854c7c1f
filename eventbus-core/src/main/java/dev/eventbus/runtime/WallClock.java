package dev.eventbus.runtime;

import java.time.Instant;

/**
 * The wall-clock time of a {@link System#nanoTime()} reading, so that a publisher that reads the
 * monotonic clock for its timer gets the event's time without reading the wall clock as well: on
 * a virtual machine each clock read costs about 25 ns, a tenth of an in-memory publish. The offset
 * between the two clocks is read again once it is a second old, so a time is off the wall clock by
 * at most the slew of one second (0.5 ms at the 500 ppm NTP allows), and a step of the wall clock
 * shows within a second. Thread safe.
 */
final class WallClock {

	private static final long RESAMPLE_NANOS = 1_000_000_000L;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private volatile Offset offset = Offset.now();

	/**
	 * The wall-clock time of a monotonic reading taken within the last second.
	 * @param nanoTime a {@link System#nanoTime()} reading
	 * @return its time on the wall clock
	 */
	Instant at(long nanoTime) {
		Offset offset = this.offset;
		long elapsed = nanoTime - offset.nanoTime();
		if (elapsed >= RESAMPLE_NANOS || elapsed <= -RESAMPLE_NANOS) {
			offset = Offset.now();
			this.offset = offset;
		}
		return Instant.ofEpochSecond(0, nanoTime + offset.epochNanosLessNanoTime());
	}

	/**
	 * Both clocks read back to back: the monotonic reading, and what to add to a monotonic
	 * reading for nanoseconds since the epoch (a long holds those until 2262).
	 */
	private record Offset(long nanoTime, long epochNanosLessNanoTime) {

		static Offset now() {
			long before = System.nanoTime();
			Instant wallTime = Instant.now();
			long after = System.nanoTime();
			long nanoTime = before + (after - before) / 2;
			long epochNanos = wallTime.getEpochSecond() * NANOS_PER_SECOND + wallTime.getNano();
			return new Offset(nanoTime, epochNanos - nanoTime);
		}

	}

}
