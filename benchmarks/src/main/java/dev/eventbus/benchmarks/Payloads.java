package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The payloads of the adapter benchmarks: a bus {@link Sample} or a raw body of {@value #SIZE}
 * bytes that starts with the send time, so both carry the same amount of data.
 */
final class Payloads {

	/** Payload size in bytes. */
	static final int SIZE = 200;

	/** Subjects (Kafka record keys) used, round robin. */
	static final int KEYS = 64;

	private static final String FILLER = "x".repeat(SIZE);

	private Payloads() {
	}

	static Sample sample(int sequence, long sentNanos) {
		// {"sentNanos":<19>,"sequence":<n>,"padding":"..."} is about 60 bytes besides the padding
		return new Sample(sentNanos, sequence, FILLER.substring(0, SIZE - 60));
	}

	static String key(int sequence) {
		return "key-" + (sequence % KEYS);
	}

	static String rawText(int sequence, long sentNanos) {
		String head = sentNanos + ":" + sequence + ":";
		return head + FILLER.substring(head.length());
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
