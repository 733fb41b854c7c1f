package dev.eventbus.spi;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a message to a subscription. The runtime settles it exactly once, by
 * {@link #ack()} or {@link #retry(Duration)}, possibly from another thread than the one
 * that delivered it; adapters need no guard against a second call. An unsettled delivery
 * of a subscription that closes or dies is redelivered by adapters that
 * {@link AdapterCapabilities#redeliversUnacked() can}. While a delivery of a key is
 * unsettled, later messages of that key wait (ordered adapters), and a message given back
 * by {@link #retry(Duration)} keeps its place in that order.
 * <p>
 * The array returned by {@link #body()} must not be modified.
 */
public interface Delivery {

	/**
	 * Destination the message was read from.
	 * @return the destination
	 */
	String destination();

	/**
	 * Broker id of the message (offset, entry id, SQS message id), for logs and dead
	 * letters.
	 * @return the id, or {@code null}
	 */
	@Nullable String messageId();

	/**
	 * Key (subject) the message was sent with.
	 * @return the key, or {@code null}
	 */
	@Nullable String key();

	/**
	 * Transport headers.
	 * @return the headers, never {@code null}
	 */
	Map<String, String> headers();

	/**
	 * Message body.
	 * @return the body
	 */
	byte[] body();

	/**
	 * The event itself, when the adapter hands it over in process without encoding.
	 * @return the event, or {@code null} when it has to be decoded from headers and body
	 */
	default @Nullable Event<?> event() {
		return null;
	}

	/**
	 * How many times this message was delivered to the group, this delivery included (1
	 * first).
	 * @return the attempt
	 */
	int attempt();

	/**
	 * Acknowledge: the message is done for this group and is never delivered to it again.
	 */
	void ack();

	/**
	 * Give the message back: it is delivered again, to this or another member, no earlier
	 * than after the delay, with {@link #attempt()} one higher.
	 * @param delay the least time before redelivery
	 */
	void retry(Duration delay);

}
