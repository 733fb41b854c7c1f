package dev.eventbus.spi;

import org.jspecify.annotations.Nullable;

/**
 * What the broker reported for an accepted message.
 *
 * @param position where the message was stored (Kafka {@code partition@offset}, stream
 * entry id, SQS message id, in-memory sequence number), or {@code null} when the
 * transport has none
 */
public record SendResult(@Nullable String position) {

	private static final SendResult NONE = new SendResult(null);

	/**
	 * A result without a position.
	 * @return the result
	 */
	public static SendResult none() {
		return NONE;
	}

}
