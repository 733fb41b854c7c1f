package dev.eventbus.runtime;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;

/**
 * Callbacks around publishing and handling, for auditing, test recorders, custom
 * telemetry and cross-cutting behaviour. In a Spring Boot application every bean of this
 * type is applied, in order. Called on the publishing and handling threads:
 * implementations are thread safe.
 */
public interface EventBusInterceptor {

	/**
	 * An event was accepted by the adapter. An exception is logged and ignored.
	 * @param event the event as published
	 * @param result what the adapter reported
	 */
	default void published(Event<?> event, PublishResult result) {
	}

	/**
	 * Wrap one invocation of a handler. The default proceeds. An interceptor may change
	 * the outcome: throwing makes the handling a failure (retried, then dead-lettered),
	 * returning without proceeding or swallowing what {@code chain} threw makes it a
	 * success.
	 * @param event the event, payload converted for the handler
	 * @param handler the handler
	 * @param chain the rest of the handling
	 * @throws Throwable to fail the handling
	 */
	default void intercept(Event<?> event, HandlerInfo handler, HandlerChain chain) throws Throwable {
		chain.proceed(event);
	}

	/**
	 * A handler was done with a delivery. An exception is logged and ignored.
	 * @param event the event, payload as the handler received it when it was invoked
	 * @param handler the handler
	 * @param outcome how it ended
	 */
	default void handled(Event<?> event, HandlerInfo handler, Outcome outcome) {
	}

}
