package dev.eventbus.spi;

import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What the broker reported for an accepted message: where it was stored (Kafka
 * {@code partition@offset}, stream entry id, SQS message id, in-memory sequence number), or
 * {@code null}. A result made from a sequence number formats it only when first asked, so senders
 * whose callers never look at it pay nothing for it; as a {@link Supplier} of the position it is what
 * a {@code PublishResult} asks when its position is first read. Thread safe; equal when the
 * positions are.
 * <p>
 * An adapter may extend it with what it keeps of each message anyway, so that accepting a message
 * costs no object of its own: the in-memory adapter's queued entries are their own results.
 */
public class SendResult implements Supplier<@Nullable String> {

	private static final SendResult NONE = new SendResult(null);

	private static final long NO_SEQUENCE = -1;

	private final long sequence;

	private @Nullable String position;

	/**
	 * Create a result.
	 * @param position where the message was stored, or {@code null}
	 */
	public SendResult(@Nullable String position) {
		this.position = position;
		this.sequence = NO_SEQUENCE;
	}

	/**
	 * Create a result positioned at a sequence number, formatted in decimal when first asked.
	 * @param sequence the sequence number, not negative
	 */
	protected SendResult(long sequence) {
		if (sequence < 0) {
			throw new IllegalArgumentException("sequence must not be negative, was " + sequence);
		}
		this.sequence = sequence;
	}

	/**
	 * A result without a position.
	 * @return the result
	 */
	public static SendResult none() {
		return NONE;
	}

	/**
	 * A result positioned at a sequence number, formatted in decimal when first asked.
	 * @param sequence the sequence number, not negative
	 * @return the result
	 */
	public static SendResult ofSequence(long sequence) {
		return new SendResult(sequence);
	}

	/**
	 * The sequence number this result was made from.
	 * @return the number, or -1 when the result was made from a position
	 */
	protected final long sequence() {
		return this.sequence;
	}

	/**
	 * Where the message was stored.
	 * @return the position, or {@code null}
	 */
	public final @Nullable String position() {
		String position = this.position;
		if (position == null && this.sequence != NO_SEQUENCE) {
			position = Long.toString(this.sequence);
			this.position = position;
		}
		return position;
	}

	/**
	 * Where the message was stored: the same as {@link #position()}.
	 * @return the position, or {@code null}
	 */
	@Override
	public final @Nullable String get() {
		return position();
	}

	@Override
	public final boolean equals(Object other) {
		return this == other || (other instanceof SendResult result && Objects.equals(position(), result.position()));
	}

	@Override
	public final int hashCode() {
		return Objects.hashCode(position());
	}

	@Override
	public final String toString() {
		return "SendResult[position=" + position() + "]";
	}

}
