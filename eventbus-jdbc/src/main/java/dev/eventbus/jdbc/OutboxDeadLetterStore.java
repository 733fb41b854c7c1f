package dev.eventbus.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * The dead letters of the broker's store followed by the outbox rows the relay gave up
 * on, listed under the dead-letter destination of their destination, with the failure
 * headers of any dead letter (handler {@value #HANDLER}). An outbox row's message id is
 * {@code outbox-<row id>}: removing it deletes the row, replaying it sends the event and
 * deletes the row. Thread safe.
 */
final class OutboxDeadLetterStore implements DeadLetterStore {

	/** The handler named by the dead letters of the outbox. */
	static final String HANDLER = "outbox-relay";

	private static final String ID_PREFIX = "outbox-";

	private final @Nullable DeadLetterStore broker;

	private final JdbcOutbox outbox;

	private final String suffix;

	OutboxDeadLetterStore(@Nullable DeadLetterStore broker, JdbcOutbox outbox, String suffix) {
		this.broker = broker;
		this.outbox = outbox;
		this.suffix = suffix;
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		List<StoredMessage> messages = new ArrayList<>();
		if (this.broker != null) {
			messages.addAll(this.broker.browse(deadLetterDestination, limit));
		}
		String destination = destination(deadLetterDestination);
		if (destination != null && messages.size() < limit) {
			for (OutboxRow row : this.outbox.failed(destination, limit - messages.size())) {
				messages.add(new StoredMessage(ID_PREFIX + row.id(), row.subject(), failureHeaders(row), row.body()));
			}
		}
		return messages;
	}

	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		if (messageId.startsWith(ID_PREFIX)) {
			try {
				return this.outbox.removeFailed(Long.parseLong(messageId.substring(ID_PREFIX.length())));
			}
			catch (NumberFormatException ex) {
				// not one of ours after all
			}
		}
		return this.broker != null && this.broker.remove(deadLetterDestination, messageId);
	}

	@Override
	public int purge(String deadLetterDestination) {
		int purged = (this.broker != null) ? this.broker.purge(deadLetterDestination) : 0;
		String destination = destination(deadLetterDestination);
		return purged + ((destination != null) ? this.outbox.purgeFailed(destination) : 0);
	}

	private @Nullable String destination(String deadLetterDestination) {
		return deadLetterDestination.endsWith(this.suffix)
				? deadLetterDestination.substring(0, deadLetterDestination.length() - this.suffix.length()) : null;
	}

	private static Map<String, String> failureHeaders(OutboxRow row) {
		Map<String, String> headers = new LinkedHashMap<>(row.headers());
		headers.put(FailureHeaders.HANDLER, HANDLER);
		headers.put(FailureHeaders.DESTINATION, row.destination());
		headers.put(FailureHeaders.ATTEMPTS, Integer.toString(row.attempts()));
		headers.put(FailureHeaders.MESSAGE_ID, ID_PREFIX + row.id());
		putIfPresent(headers, FailureHeaders.EXCEPTION, row.lastException());
		putIfPresent(headers, FailureHeaders.MESSAGE, row.lastError());
		putIfPresent(headers, FailureHeaders.FIRST_FAILURE, row.firstFailureAt());
		putIfPresent(headers, FailureHeaders.LAST_FAILURE, row.lastFailureAt());
		return headers;
	}

	private static void putIfPresent(Map<String, String> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value.toString());
		}
	}

}
