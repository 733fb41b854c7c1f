package dev.eventbus.api;

/**
 * Thrown when a message cannot become an event for a handler: it is not JSON, lacks a
 * type, or its data does not convert into a class registered for its type. Such a message
 * is dead-lettered at once, without retries.
 */
public class EventDecodingException extends EventBusException {

	public EventDecodingException(String message) {
		super(message);
	}

	public EventDecodingException(String message, Throwable cause) {
		super(message, cause);
	}

}
