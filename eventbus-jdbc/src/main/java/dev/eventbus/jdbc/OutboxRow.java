package dev.eventbus.jdbc;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One row of the outbox: an event recorded for a destination, with its delivery state.
 *
 * @param id the row's number, in insert order
 * @param eventId the event's id
 * @param destination where it goes
 * @param subject its subject, the ordering key, or {@code null}
 * @param headers the transport headers of its structured CloudEvents encoding
 * @param body its structured CloudEvents JSON
 * @param attempts sends tried so far
 * @param createdAt when it was recorded
 * @param firstFailureAt when its first send failed, or {@code null}
 * @param lastFailureAt when its last send failed, or {@code null}
 * @param lastException the class of the last failure, or {@code null}
 * @param lastError the message of the last failure, or {@code null}
 */
public record OutboxRow(long id, String eventId, String destination, @Nullable String subject,
		Map<String, String> headers, byte[] body, int attempts, Instant createdAt, @Nullable Instant firstFailureAt,
		@Nullable Instant lastFailureAt, @Nullable String lastException, @Nullable String lastError) {

	public OutboxRow {
		headers = Map.copyOf(headers);
	}

}
