package dev.eventbus.runtime;

import dev.eventbus.api.Event;

/**
 * A handler subscribed in code with {@link EventBus#subscribe}.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface EventConsumer<T> {

	/**
	 * Handle an event; throwing makes it a failure, retried and then dead-lettered.
	 * @param event the event, payload converted
	 * @throws Exception to fail the handling
	 */
	void accept(Event<T> event) throws Exception;

}
