package dev.eventbus.memory;

import java.util.List;
import java.util.function.Function;

import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * Dead-letter store over the retained messages of in-memory destinations. A dead-letter
 * destination is an ordinary destination: it retains its last {@code historySize}
 * messages, the same as any other, and older dead letters are dropped. Message ids are
 * the sequence numbers of the destination. Thread safe.
 */
final class MemoryDeadLetterStore implements DeadLetterStore {

	private final Function<String, @Nullable MemoryDestination> destinations;

	MemoryDeadLetterStore(Function<String, @Nullable MemoryDestination> destinations) {
		this.destinations = destinations;
	}

	@Override
	public List<StoredMessage> browse(String deadLetterDestination, int limit) {
		MemoryDestination destination = this.destinations.apply(deadLetterDestination);
		return (destination != null && limit > 0) ? destination.history().oldest(limit) : List.of();
	}

	@Override
	public boolean remove(String deadLetterDestination, String messageId) {
		MemoryDestination destination = this.destinations.apply(deadLetterDestination);
		return destination != null && destination.history().remove(messageId);
	}

	@Override
	public int purge(String deadLetterDestination) {
		MemoryDestination destination = this.destinations.apply(deadLetterDestination);
		return (destination != null) ? destination.history().purge() : 0;
	}

}
