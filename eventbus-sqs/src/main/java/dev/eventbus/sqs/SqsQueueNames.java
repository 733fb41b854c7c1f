package dev.eventbus.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Queue names derived from destinations and consumer groups, following the SQS rules: at
 * most 80 characters of letters, digits, {@code -} and {@code _}, plus {@code .fifo} for
 * FIFO queues.
 * <p>
 * A destination has a <em>destination queue</em> ({@code <destination>}), which is also
 * its ingress queue for producers outside the bus, and one <em>group queue</em> per
 * consumer group ({@code <destination>__<group>}). Other characters become {@code _},
 * runs of {@code _} collapse to one so that {@code __} only ever separates destination
 * and group, and parts that are too long are cut and end with a hash of the whole.
 * Immutable.
 */
final class SqsQueueNames {

	static final String FIFO_SUFFIX = ".fifo";

	static final String GROUP_SEPARATOR = "__";

	private static final int MAX_LENGTH = 80;

	private static final int MAX_DESTINATION_LENGTH = 40;

	private static final int HASH_LENGTH = 8;

	private final boolean fifo;

	private final String deadLetterSuffix;

	SqsQueueNames(boolean fifo, String deadLetterSuffix) {
		this.fifo = fifo;
		this.deadLetterSuffix = deadLetterSuffix;
	}

	/**
	 * Whether a destination is a dead-letter destination: one queue read by every group,
	 * no fan-out.
	 * @param destination the destination
	 * @return whether it ends with the dead-letter suffix
	 */
	boolean isDeadLetter(String destination) {
		return destination.endsWith(this.deadLetterSuffix);
	}

	/**
	 * The queue holding a destination's messages when no group queue exists, and every
	 * message of a dead-letter destination.
	 * @param destination the destination
	 * @return the queue name
	 */
	String destinationQueue(String destination) {
		return destinationPart(destination) + suffix();
	}

	/**
	 * The queue a consumer group reads a destination from.
	 * @param destination the destination
	 * @param group the consumer group
	 * @return the queue name
	 */
	String groupQueue(String destination, String group) {
		String prefix = groupQueuePrefix(destination);
		int room = MAX_LENGTH - FIFO_SUFFIX.length() - prefix.length();
		return prefix + fit(group, room) + suffix();
	}

	/**
	 * The prefix every group queue of a destination starts with, for {@code ListQueues}.
	 * @param destination the destination
	 * @return the prefix
	 */
	String groupQueuePrefix(String destination) {
		return destinationPart(destination) + GROUP_SEPARATOR;
	}

	/**
	 * Whether a listed queue URL is a group queue of this adapter's kind (FIFO or
	 * standard).
	 * @param queueUrl the URL
	 * @return whether its name has the expected suffix
	 */
	boolean matchesKind(String queueUrl) {
		return queueUrl.endsWith(FIFO_SUFFIX) == this.fifo;
	}

	boolean fifo() {
		return this.fifo;
	}

	private String destinationPart(String destination) {
		return fit(destination, MAX_DESTINATION_LENGTH);
	}

	private String suffix() {
		return this.fifo ? FIFO_SUFFIX : "";
	}

	static String sanitize(String name) {
		StringBuilder result = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
			char next = valid ? c : '_';
			if (next != '_' || result.isEmpty() || result.charAt(result.length() - 1) != '_') {
				result.append(next);
			}
		}
		return result.isEmpty() ? "_" : result.toString();
	}

	private static String fit(String name, int maxLength) {
		String sanitized = sanitize(name);
		if (sanitized.length() <= maxLength) {
			return sanitized;
		}
		String cut = sanitized.substring(0, maxLength - HASH_LENGTH - 1);
		if (cut.endsWith("_")) {
			cut = cut.substring(0, cut.length() - 1) + "-";
		}
		return cut + "-" + hash(name);
	}

	static String hash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
