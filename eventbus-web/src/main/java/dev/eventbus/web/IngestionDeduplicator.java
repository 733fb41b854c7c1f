package dev.eventbus.web;

import dev.eventbus.api.Event;

/**
 * Publishes an event posted to the ingestion endpoint once per source and id, so that a
 * caller may repeat a request whose answer it did not get. Thread safe.
 */
@FunctionalInterface
public interface IngestionDeduplicator {

	/**
	 * Run a publish unless the event's source and id were published before.
	 * @param event the event
	 * @param publish publishes the event; when it throws, the event is not remembered, so
	 * a repeat publishes it
	 * @return {@code true} when it was published, {@code false} for a duplicate
	 */
	boolean publishOnce(Event<?> event, Runnable publish);

}
