package dev.eventbus.api;

/**
 * Base class of the exceptions the event bus throws.
 */
public class EventBusException extends RuntimeException {

	public EventBusException(String message) {
		super(message);
	}

	public EventBusException(String message, Throwable cause) {
		super(message, cause);
	}

}
