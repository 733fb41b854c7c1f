package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The payloads of the adapter benchmarks: a bus {@link Sample} or a raw body of
 * {@value #SIZE} bytes that starts with the send time, so both carry the same amount of
 * data.
 */
final class Payloads {

	/** Payload size in bytes. */
	static final int SIZE = 200;

	/** Subjects (Kafka record keys) used, round robin. */
	static final int KEYS = 64;

	private static final String FILLER = "x".repeat(SIZE);

	private static final String SENT_NANOS = "\"sentNanos\":";

	private Payloads() {
	}

	static Sample sample(int sequence, long sentNanos) {
		// {"sentNanos":<19>,"sequence":<n>,"padding":"..."} is about 60 bytes besides the
		// padding
		return new Sample(sentNanos, sequence, FILLER.substring(0, SIZE - 60));
	}

	static String key(int sequence) {
		return "key-" + (sequence % KEYS);
	}

	static String rawText(int sequence, long sentNanos) {
		return rawText(sequence, sentNanos, SIZE);
	}

	/**
	 * A raw body of the given length, which the send time leads; without quotes or other
	 * characters that JSON escapes.
	 * @param sequence the event's number
	 * @param sentNanos the send time
	 * @param length the length, at least that of the send time and the number
	 * @return the body
	 */
	static String rawText(int sequence, long sentNanos, int length) {
		String head = sentNanos + ":" + sequence + ":";
		return head + "x".repeat(length - head.length());
	}

	/**
	 * A CloudEvents structured JSON document with the attributes and the data of the
	 * bus's {@link Sample} event, built by concatenation: a raw body the size and shape
	 * of the bus's SQS body, which the send time leads inside {@code data}.
	 * @param sequence the event's number
	 * @param sentNanos the send time
	 * @return the document
	 */
	static String cloudEventText(int sequence, long sentNanos) {
		return cloudEventText(sequence, sentNanos, true);
	}

	/**
	 * The smallest CloudEvents structured JSON document that carries what the bus reads
	 * from an event: {@link #cloudEventText} without {@code datacontenttype} (absent, the
	 * JSON event format takes the data to be {@code application/json}) and without
	 * {@code correlationid}.
	 * @param sequence the event's number
	 * @param sentNanos the send time
	 * @return the document
	 */
	static String minimalCloudEventText(int sequence, long sentNanos) {
		return cloudEventText(sequence, sentNanos, false);
	}

	private static String cloudEventText(int sequence, long sentNanos, boolean busAttributes) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String id = new UUID(random.nextLong(), random.nextLong()).toString();
		return "{\"specversion\":\"1.0\",\"id\":\"" + id
				+ "\",\"source\":\"urn:eventbus:bench\",\"type\":\"bench.sample\"," + "\"time\":\"" + Instant.now()
				+ "\",\"subject\":\"" + key(sequence) + "\","
				+ (busAttributes ? "\"datacontenttype\":\"application/json\",\"correlationid\":\"" + id + "\"," : "")
				+ "\"data\":{\"sentNanos\":" + sentNanos + ",\"sequence\":" + sequence + ",\"padding\":\""
				+ FILLER.substring(0, SIZE - 60) + "\"}}";
	}

	/**
	 * The send time of a raw body, {@link #rawText} or a CloudEvents document.
	 * @param text the body
	 * @return the send time
	 */
	static long sentNanosOfAny(String text) {
		if (!text.startsWith("{")) {
			return sentNanos(text);
		}
		int start = text.indexOf(SENT_NANOS) + SENT_NANOS.length();
		return Long.parseLong(text, start, text.indexOf(',', start), 10);
	}

	static byte[] rawBytes(int sequence, long sentNanos) {
		return rawText(sequence, sentNanos).getBytes(StandardCharsets.US_ASCII);
	}

	static long sentNanos(String text) {
		return Long.parseLong(text, 0, text.indexOf(':'), 10);
	}

	static long sentNanos(byte[] bytes) {
		long value = 0;
		boolean negative = bytes[0] == '-';
		for (int i = negative ? 1 : 0; i < bytes.length && bytes[i] != ':'; i++) {
			value = value * 10 + (bytes[i] - '0');
		}
		return negative ? -value : value;
	}

}
