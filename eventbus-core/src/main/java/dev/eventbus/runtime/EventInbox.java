package dev.eventbus.runtime;

import dev.eventbus.api.Event;

/**
 * Applies an event once per handler: the runtime runs each handling of an
 * {@link dev.eventbus.api.EventHandler#idempotent() idempotent} handler through it. An
 * implementation records that the handler took the event (its consumer group, handler id,
 * the event's source and id) together with the handling, in one transaction, so that a
 * redelivery, a replay or a duplicate publish finds the record and is skipped, and a
 * handling that throws leaves no record and runs again on the retry. The
 * {@code eventbus-jdbc} module has one on a database table. Thread safe.
 */
@FunctionalInterface
public interface EventInbox {

	/**
	 * Run a handling unless the handler took the event before.
	 * @param handler the handler
	 * @param event the event, payload converted for the handler
	 * @param handling the handling
	 * @return {@code true} when it ran, {@code false} for a duplicate, which did not run
	 * @throws Throwable what the handling threw; nothing is recorded then
	 */
	boolean handleOnce(HandlerInfo handler, Event<?> event, HandlerChain handling) throws Throwable;

}
