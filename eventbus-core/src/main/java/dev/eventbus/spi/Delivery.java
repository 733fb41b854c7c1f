package dev.eventbus.spi;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a message to a subscription. It must be settled exactly once, by {@link #ack()}
 * or {@link #retry(Duration)}, from any thread. An unsettled delivery of a subscription that closes
 * or dies is redelivered by adapters that {@link AdapterCapabilities#redeliversUnacked() can}.
 * While a delivery of a key is unsettled, later messages of that key wait (ordered adapters), and a
 * message given back by {@link #retry(Duration)} keeps its place in that order.
 * <p>
 * The arrays returned by {@link #body()} must not be modified.
 */
public interface Delivery {

	/**
	 * Destination the message was read from.
	 * @return the destination
	 */
	String destination();

	/**
	 * Broker id of the message (offset, entry id, SQS message id), for logs and dead letters.
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
	 * One transport header; adapters whose {@link #headers()} must be built override it to read
	 * the header alone.
	 * @param name the header name
	 * @return its value (of a repeated header, the last), or {@code null}
	 */
	default @Nullable String header(String name) {
		return headers().get(name);
	}

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
	 * How many times this message was delivered to the group, this delivery included (1 first).
	 * @return the attempt
	 */
	int attempt();

	/**
	 * When handling of this delivery began, on {@link System#nanoTime()}, for adapters that run
	 * deliveries back to back on one thread: the end of the previous one's handling, as the bus
	 * reported it to {@link #handled(long)}. The bus then times each handling with one clock read
	 * instead of two (a read costs about 25 ns on a virtual machine); the time includes the
	 * adapter's work between the two deliveries.
	 * @return the start, or {@code 0} when the bus has to read the clock itself
	 */
	default long startNanos() {
		return 0;
	}

	/**
	 * Called on the thread that ran the listener when the bus finished handling this delivery and
	 * timed it, with the {@link System#nanoTime()} it read at the end. Adapters that start their
	 * next delivery straight away on the same thread return it as that one's {@link #startNanos()}.
	 * @param nanoTime when handling ended
	 */
	default void handled(long nanoTime) {
	}

	/**
	 * Acknowledge: the message is done for this group and is never delivered to it again.
	 */
	void ack();

	/**
	 * Give the message back: it is delivered again, to this or another member, no earlier than
	 * after the delay, with {@link #attempt()} one higher.
	 * @param delay the least time before redelivery
	 */
	void retry(Duration delay);

}
