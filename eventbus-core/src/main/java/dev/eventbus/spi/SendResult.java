package dev.eventbus.spi;

import org.jspecify.annotations.Nullable;

/**
 * What the broker reported for an accepted message.
 *
 * @param position where it was stored (Kafka {@code partition@offset}, stream entry id, SQS
 * message id), or {@code null}
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
