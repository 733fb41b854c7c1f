package dev.eventbus.api;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes events. The one bean application code injects.
 * <p>
 * The synchronous methods return only after the adapter accepted the event durably (Kafka
 * {@code acks=all}, the Redis {@code XADD} reply, the SQS send response; in memory, once
 * queued) and throw {@link PublishException} otherwise: a failure is never swallowed. The
 * asynchronous methods complete their future at that same point, or exceptionally with
 * the same exception.
 * <p>
 * Thread safe. Called from inside a handler, the new event inherits the handled event's
 * correlation id and gets its id as causation id.
 */
public interface EventPublisher {

	/**
	 * Publish a payload; its type comes from {@link EventType} or the class's simple
	 * name.
	 * @param payload the payload, not {@code null}
	 * @return the result
	 * @throws IllegalArgumentException if the payload is {@code null}
	 * @throws PublishException if the adapter did not accept the event
	 */
	default PublishResult publish(Object payload) {
		return publish(EventMessage.of(payload).build());
	}

	/**
	 * Publish a payload under an explicit type.
	 * @param type the event type, not empty
	 * @param payload the payload, not {@code null}
	 * @return the result
	 * @throws IllegalArgumentException if the type is empty or the payload {@code null}
	 * @throws PublishException if the adapter did not accept the event
	 */
	default PublishResult publish(String type, Object payload) {
		return publish(EventMessage.of(type, payload).build());
	}

	/**
	 * Publish a built message.
	 * @param message the message
	 * @return the result
	 * @throws PublishException if the adapter did not accept the event
	 */
	PublishResult publish(EventMessage<?> message);

	/**
	 * Publish a payload without waiting.
	 * @param payload the payload, not {@code null}
	 * @return a future completed once the adapter accepted the event
	 * @throws IllegalArgumentException if the payload is {@code null}
	 */
	default CompletableFuture<PublishResult> publishAsync(Object payload) {
		return publishAsync(EventMessage.of(payload).build());
	}

	/**
	 * Publish a payload under an explicit type without waiting.
	 * @param type the event type, not empty
	 * @param payload the payload, not {@code null}
	 * @return a future completed once the adapter accepted the event
	 * @throws IllegalArgumentException if the type is empty or the payload {@code null}
	 */
	default CompletableFuture<PublishResult> publishAsync(String type, Object payload) {
		return publishAsync(EventMessage.of(type, payload).build());
	}

	/**
	 * Publish a built message without waiting.
	 * @param message the message
	 * @return a future completed once the adapter accepted the event
	 */
	CompletableFuture<PublishResult> publishAsync(EventMessage<?> message);

}
