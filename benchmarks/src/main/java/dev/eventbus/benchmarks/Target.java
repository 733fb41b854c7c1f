package dev.eventbus.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * One side of an adapter benchmark, the bus or its raw baseline: it publishes events and
 * hands every event its consumer receives to the {@link Recorder} it was created with.
 */
interface Target extends AutoCloseable {

	/**
	 * Short name for the results table.
	 * @return the name
	 */
	String name();

	/**
	 * Publish one event without waiting.
	 * @param sequence its number within the phase
	 * @param sentNanos the send time it carries
	 * @return completed once the broker accepted it
	 */
	CompletableFuture<?> publish(int sequence, long sentNanos);

	/**
	 * Requests made to the broker so far, for adapters whose requests are counted.
	 * @return the count, or -1 when not counted
	 */
	default long requests() {
		return -1;
	}

	@Override
	void close();

}
