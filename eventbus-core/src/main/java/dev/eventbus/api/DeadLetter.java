package dev.eventbus.api;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An event on a dead-letter destination, with why it got there.
 *
 * @param id id of the dead letter (the event id when the message could be decoded, else
 * the broker's message id)
 * @param type event type, or {@code null} for a message that could not be decoded
 * @param subject subject, or {@code null}
 * @param destination destination the event was originally read from
 * @param deadLetterDestination destination the dead letter is stored in
 * @param handler id of the handler that failed
 * @param exception class name of the last failure
 * @param message message of the last failure
 * @param attempts deliveries made before it was dead-lettered
 * @param firstFailure time of the first failure
 * @param lastFailure time of the last failure
 * @param headers the original headers, failure headers included
 * @param body the original message body as text
 */
public record DeadLetter(String id, @Nullable String type, @Nullable String subject, String destination,
		String deadLetterDestination, @Nullable String handler, @Nullable String exception, @Nullable String message,
		int attempts, @Nullable Instant firstFailure, @Nullable Instant lastFailure, Map<String, String> headers,
		String body) {

}
