package dev.eventbus.codec;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventTimesTests {

	@Test
	void writesWhatInstantToStringWrites() {
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < 20_000; i++) {
			long seconds = random.nextLong(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1_000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1_000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant time = Instant.ofEpochSecond(seconds, nanos);
			assertThat(EventTimes.format(time)).isEqualTo(time.toString());
		}
		assertThat(EventTimes.format(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31T23:59:59.500Z");
		assertThat(EventTimes.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
	}

	@Test
	void readsWhatItWritesAndWhatInstantParseReads() {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 20_000; i++) {
			Instant time = Instant.ofEpochSecond(random.nextLong(253_402_300_799L), random.nextInt(1_000_000_000));
			assertThat(EventTimes.parse(EventTimes.format(time))).isEqualTo(time);
		}
		for (String text : new String[] { "2026-11-22T10:15:30Z", "2026-11-22T10:15:30.1Z",
				"2026-11-22T10:15:30.12345Z", "2024-02-29T23:59:59.999999999Z", "0001-01-01T00:00:00Z",
				"2026-11-22t10:15:30z", "2026-11-22T10:15:30+02:00", "2016-12-31T23:59:60Z", "2026-11-22T24:00:00Z",
				"2026-11-22T10:15:30.Z" }) {
			assertThat(EventTimes.parse(text)).as(text).isEqualTo(Instant.parse(text));
		}
	}

	@Test
	void readsMoreThanNineFractionalDigitsAsRfc3339AllowsDroppingThoseBeyondNanoseconds() {
		assertThat(EventTimes.parse("2026-11-22T10:15:30.1234567890Z"))
			.isEqualTo(Instant.parse("2026-11-22T10:15:30.123456789Z"));
		assertThat(EventTimes.parse("2026-11-22T10:15:30.12345678912345-02:00"))
			.isEqualTo(Instant.parse("2026-11-22T12:15:30.123456789Z"));
	}

	@Test
	void rejectsWhatInstantParseRejects() {
		for (String text : new String[] { "2026-02-29T10:15:30Z", "2026-13-01T10:15:30Z", "2026-11-22T25:00:00Z",
				"2026-11-2xT10:15:30Z", "2026-11-22 10:15:30Z", "2026-11-22T10:15:30" }) {
			assertThatExceptionOfType(DateTimeParseException.class).as(text).isThrownBy(() -> Instant.parse(text));
			assertThatExceptionOfType(DateTimeParseException.class).as(text).isThrownBy(() -> EventTimes.parse(text));
		}
	}

}
