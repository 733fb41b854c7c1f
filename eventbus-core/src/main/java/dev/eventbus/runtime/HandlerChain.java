package dev.eventbus.runtime;

import dev.eventbus.api.Event;

/**
 * The rest of a handling, as an {@link EventBusInterceptor} sees it: the next
 * interceptors and the handler itself.
 */
@FunctionalInterface
public interface HandlerChain {

	/**
	 * Run the rest of the handling.
	 * @param event the event to hand on, usually the one the interceptor was given
	 * @throws Throwable what the handler (or a later interceptor) threw
	 */
	void proceed(Event<?> event) throws Throwable;

}
