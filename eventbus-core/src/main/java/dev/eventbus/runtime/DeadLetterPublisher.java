package dev.eventbus.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.api.Event;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import org.jspecify.annotations.Nullable;

/**
 * Writes a failed delivery to the dead-letter destination of the destination it came
 * from: the original headers and body unchanged, plus the {@link FailureHeaders}. Thread
 * safe.
 */
final class DeadLetterPublisher {

	private static final int MAX_MESSAGE_LENGTH = 1000;

	private final EventBusAdapter adapter;

	private final String suffix;

	DeadLetterPublisher(EventBusAdapter adapter, String suffix) {
		this.adapter = adapter;
		this.suffix = suffix;
	}

	String deadLetterDestination(String destination) {
		return destination + this.suffix;
	}

	/**
	 * Write a dead letter.
	 * @param delivery the failed delivery
	 * @param event the event, or {@code null} when it could not be decoded
	 * @param handler the id of the handler that failed, or the subscription's name for a
	 * message that could not be decoded
	 * @param group the consumer group of the subscription on the broker
	 * @param cause the last failure
	 * @param firstFailure when the first failure was seen
	 * @param lastFailure when the last failure was seen
	 * @return the adapter's send
	 */
	CompletableFuture<SendResult> publish(Delivery delivery, @Nullable Event<?> event, String handler, String group,
			Throwable cause, Instant firstFailure, Instant lastFailure) {
		Map<String, String> headers = new LinkedHashMap<>();
		byte[] body;
		try {
			headers.putAll(delivery.headers());
			headers.remove(FailureHeaders.REPLAY_GROUP);
			headers.remove(FailureHeaders.REPLAY_HANDLER);
			body = delivery.body();
		}
		catch (RuntimeException ex) {
			body = String.valueOf((event != null) ? event : delivery.event()).getBytes(StandardCharsets.UTF_8);
		}
		headers.put(FailureHeaders.EXCEPTION, cause.getClass().getName());
		headers.put(FailureHeaders.MESSAGE, truncate(String.valueOf(cause.getMessage())));
		headers.put(FailureHeaders.HANDLER, handler);
		headers.put(FailureHeaders.GROUP, group);
		headers.put(FailureHeaders.ATTEMPTS, Integer.toString(delivery.attempt()));
		headers.put(FailureHeaders.FIRST_FAILURE, firstFailure.toString());
		headers.put(FailureHeaders.LAST_FAILURE, lastFailure.toString());
		headers.put(FailureHeaders.DESTINATION, delivery.destination());
		if (delivery.messageId() != null) {
			headers.put(FailureHeaders.MESSAGE_ID, delivery.messageId());
		}
		String id = (event != null) ? event.id()
				: (delivery.messageId() != null) ? delivery.messageId() : UUID.randomUUID().toString();
		return this.adapter.send(
				OutboundMessage.raw(deadLetterDestination(delivery.destination()), delivery.key(), id, headers, body));
	}

	private static String truncate(String message) {
		return (message.length() <= MAX_MESSAGE_LENGTH) ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
	}

}
