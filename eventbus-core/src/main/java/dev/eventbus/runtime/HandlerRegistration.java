package dev.eventbus.runtime;

/**
 * A handler subscribed in code. Closing it unsubscribes the handler: it gets no event
 * after {@link #close()} returns (one it is handling runs to its end); when it was the
 * last handler of its subscription, the subscription closes, draining within the bus's
 * shutdown timeout.
 */
public interface HandlerRegistration extends AutoCloseable {

	/**
	 * What the bus registered.
	 * @return the handler
	 */
	HandlerInfo handler();

	/**
	 * Unsubscribe. Idempotent.
	 */
	@Override
	void close();

}
