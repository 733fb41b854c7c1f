package dev.eventbus.runtime;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;

/**
 * Callbacks around publishing and handling, for auditing, test recorders and custom telemetry.
 * In a Spring Boot application every bean of this type is applied, in order. Called on the
 * publishing and handling threads: implementations are thread safe, fast and never throw (an
 * exception is logged and ignored).
 */
public interface EventBusInterceptor {

	/**
	 * An event was accepted by the adapter.
	 * @param event the event as published
	 * @param result what the adapter reported
	 */
	default void published(Event<?> event, PublishResult result) {
	}

	/**
	 * A handler was done with a delivery.
	 * @param event the event, payload as the handler received it when it was invoked
	 * @param handler the handler
	 * @param outcome {@code success}, {@code retry}, {@code dead-letter}, {@code skipped} or {@code dropped}
	 */
	default void handled(Event<?> event, HandlerDefinition handler, String outcome) {
	}

}
