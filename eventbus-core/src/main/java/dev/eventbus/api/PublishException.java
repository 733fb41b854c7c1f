package dev.eventbus.api;

/**
 * Thrown when an adapter did not accept an event: the event may not have been written.
 */
public class PublishException extends EventBusException {

	public PublishException(String message) {
		super(message);
	}

	public PublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
