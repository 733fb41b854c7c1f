package dev.eventbus.api;

/**
 * Thrown by a batch handler that stopped at one item, as spring-kafka's
 * {@code BatchListenerFailedException}: the items before it succeeded, it failed with the
 * cause, and the items after it were not handled. Those are given back unhandled, without
 * counting an attempt, and come again in a later batch; the failed item is retried by the
 * handler's retry policy and then dead-lettered.
 */
public class BatchItemFailedException extends EventBusException {

	private final int index;

	/**
	 * Create an exception for the item at an index.
	 * @param index the item's index in the batch
	 * @param cause why it failed
	 */
	public BatchItemFailedException(int index, Throwable cause) {
		super("Batch item " + index + " failed: " + cause.getMessage(), cause);
		if (index < 0) {
			throw new IllegalArgumentException("item index must not be negative, was " + index);
		}
		this.index = index;
	}

	/**
	 * The index of the item that failed.
	 * @return the index in the batch
	 */
	public int getIndex() {
		return this.index;
	}

}
