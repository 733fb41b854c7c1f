package dev.eventbus.codec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents {@code time} attribute as text, in the form {@link Instant#toString()}
 * writes ({@code 2026-11-22T10:15:30.123456Z}), read and written without going through
 * {@link DateTimeFormatter}, which costs about a microsecond per event. Other forms RFC
 * 3339 allows (offsets, lower case, leap seconds) are read by {@link Instant#parse}.
 * Thread safe.
 */
final class EventTimes {

	/**
	 * Nanoseconds a last fraction digit at position i stands for, 10<sup>9-i</sup>; also
	 * the powers of ten for padding.
	 */
	private static final int[] FRACTION_SCALE = { 0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
			10, 1 };

	private EventTimes() {
	}

	/**
	 * Read a time in ISO-8601 instant form.
	 * @param text the text
	 * @return the instant
	 * @throws java.time.format.DateTimeParseException if it is no ISO-8601 instant
	 */
	static Instant parse(String text) {
		Instant fast = parseUtc(text);
		return (fast != null) ? fast : Instant.parse(withNanosecondFraction(text));
	}

	/**
	 * RFC 3339 allows any number of fractional digits; {@link Instant#parse} takes at
	 * most nine. Digits beyond the ninth are dropped: an instant has nanosecond
	 * precision.
	 */
	private static String withNanosecondFraction(String text) {
		int dot = text.indexOf('.');
		if (dot < 0) {
			return text;
		}
		int end = dot + 1;
		while (end < text.length() && Character.isDigit(text.charAt(end))) {
			end++;
		}
		return (end - dot - 1 > 9) ? text.substring(0, dot + 10) + text.substring(end) : text;
	}

	private static @Nullable Instant parseUtc(String text) {
		int length = text.length();
		if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 7);
		int day = digits(text, 8, 10);
		int hour = digits(text, 11, 13);
		int minute = digits(text, 14, 16);
		int second = digits(text, 17, 19);
		int nanos = 0;
		if (length > 20) {
			int fractionDigits = length - 21;
			if (text.charAt(19) != '.' || fractionDigits < 1) {
				return null;
			}
			int fraction = digits(text, 20, length - 1);
			if (fraction < 0) {
				return null;
			}
			nanos = fraction * FRACTION_SCALE[fractionDigits];
		}
		if (year < 0 || month < 1 || month > 12 || day < 1 || (day > 28 && day > lengthOfMonth(year, month)) || hour < 0
				|| hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
			return null;
		}
		return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
	}

	/**
	 * Days since 1970-01-01 of a valid proleptic Gregorian date, without building a
	 * {@link LocalDate} (Howard Hinnant's {@code days_from_civil}).
	 */
	private static long epochDay(int year, int month, int day) {
		int y = (month <= 2) ? year - 1 : year;
		int era = Math.floorDiv(y, 400);
		int yearOfEra = y - era * 400;
		int dayOfYear = (153 * ((month > 2) ? month - 3 : month + 9) + 2) / 5 + day - 1;
		int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
		return era * 146_097L + dayOfEra - 719_468;
	}

	private static int lengthOfMonth(int year, int month) {
		return LocalDate.of(year, month, 1).lengthOfMonth();
	}

	/**
	 * Decimal value of a run of ASCII digits.
	 * @return the value, or -1 if a character is no digit
	 */
	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			int digit = text.charAt(i) - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			value = value * 10 + digit;
		}
		return value;
	}

	/**
	 * Write an instant as {@link Instant#toString()} does.
	 * @param time the instant
	 * @return the text
	 */
	static String format(Instant time) {
		long seconds = time.getEpochSecond();
		long epochDay = Math.floorDiv(seconds, 86_400);
		int secondOfDay = (int) Math.floorMod(seconds, 86_400);
		if (epochDay < 0 || epochDay > 2_932_896) {
			return time.toString();
		}
		// Howard Hinnant's civil_from_days, for days from 1970 to 9999
		int dayOfEra = (int) (epochDay + 719_468) % 146_097;
		int era = (int) (epochDay + 719_468) / 146_097;
		int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
		int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
		int shiftedMonth = (5 * dayOfYear + 2) / 153;
		int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
		int month = (shiftedMonth < 10) ? shiftedMonth + 3 : shiftedMonth - 9;
		int year = yearOfEra + era * 400 + ((month <= 2) ? 1 : 0);
		StringBuilder text = new StringBuilder(30);
		pad(text, year, 4).append('-');
		pad(text, month, 2).append('-');
		pad(text, day, 2).append('T');
		pad(text, secondOfDay / 3_600, 2).append(':');
		pad(text, secondOfDay / 60 % 60, 2).append(':');
		pad(text, secondOfDay % 60, 2);
		int nanos = time.getNano();
		if (nanos != 0) {
			text.append('.');
			if (nanos % 1_000_000 == 0) {
				pad(text, nanos / 1_000_000, 3);
			}
			else if (nanos % 1_000 == 0) {
				pad(text, nanos / 1_000, 6);
			}
			else {
				pad(text, nanos, 9);
			}
		}
		return text.append('Z').toString();
	}

	private static StringBuilder pad(StringBuilder text, int value, int width) {
		for (int scale = FRACTION_SCALE[10 - width]; scale > 1 && value < scale; scale /= 10) {
			text.append('0');
		}
		return text.append(value);
	}

}
