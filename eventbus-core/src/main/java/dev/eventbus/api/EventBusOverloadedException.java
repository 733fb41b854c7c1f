package dev.eventbus.api;

/**
 * Thrown by publish when the bus stayed full for longer than the configured wait:
 * consumers are not keeping up. The event was not written. Retry later, slow down, or
 * raise the capacity.
 */
public class EventBusOverloadedException extends PublishException {

	public EventBusOverloadedException(String message) {
		super(message);
	}

}
