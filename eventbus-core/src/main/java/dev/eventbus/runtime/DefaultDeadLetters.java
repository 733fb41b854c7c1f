package dev.eventbus.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.DeadLetters;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * {@link DeadLetters} over the adapter's {@link DeadLetterStore}. Replay sends the stored
 * message back unchanged, failure headers removed, addressed to the consumer group that
 * failed on it (the {@link FailureHeaders#REPLAY_GROUP} header) so no other handler sees
 * it twice, and removes it from the store only once the send was accepted. Thread safe.
 */
final class DefaultDeadLetters implements DeadLetters {

	private static final int REPLAY_BATCH = 1_000;

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final DeadLetterPublisher publisher;

	private final Supplier<List<String>> destinations;

	DefaultDeadLetters(EventBusAdapter adapter, JsonEventCodec codec, DeadLetterPublisher publisher,
			Supplier<List<String>> destinations) {
		this.adapter = adapter;
		this.codec = codec;
		this.publisher = publisher;
		this.destinations = destinations;
	}

	@Override
	public List<String> destinations() {
		return this.destinations.get();
	}

	@Override
	public List<DeadLetter> list(String destination, int limit) {
		Optional<DeadLetterStore> store = this.adapter.deadLetterStore();
		if (store.isEmpty()) {
			return List.of();
		}
		String deadLetterDestination = this.publisher.deadLetterDestination(destination);
		List<DeadLetter> result = new ArrayList<>();
		for (StoredMessage message : store.get().browse(deadLetterDestination, limit)) {
			result.add(toDeadLetter(destination, deadLetterDestination, message));
		}
		return result;
	}

	@Override
	public boolean replay(String destination, String id) {
		DeadLetterStore store = requireStore();
		String deadLetterDestination = this.publisher.deadLetterDestination(destination);
		for (StoredMessage message : store.browse(deadLetterDestination, Integer.MAX_VALUE)) {
			if (id.equals(message.messageId()) || id.equals(eventId(message))) {
				replay(store, destination, deadLetterDestination, message);
				return true;
			}
		}
		return false;
	}

	@Override
	public int replayAll(String destination) {
		DeadLetterStore store = requireStore();
		String deadLetterDestination = this.publisher.deadLetterDestination(destination);
		int replayed = 0;
		for (StoredMessage message : store.browse(deadLetterDestination, REPLAY_BATCH)) {
			replay(store, destination, deadLetterDestination, message);
			replayed++;
		}
		return replayed;
	}

	@Override
	public int purge(String destination) {
		return requireStore().purge(this.publisher.deadLetterDestination(destination));
	}

	private void replay(DeadLetterStore store, String destination, String deadLetterDestination,
			StoredMessage message) {
		Map<String, String> headers = new LinkedHashMap<>(message.headers());
		String target = headers.getOrDefault(FailureHeaders.DESTINATION, destination);
		String group = headers.get(FailureHeaders.GROUP);
		String handler = headers.get(FailureHeaders.HANDLER);
		headers.keySet().removeAll(FailureHeaders.ALL);
		if (group != null) {
			headers.put(FailureHeaders.REPLAY_GROUP, group);
		}
		if (handler != null) {
			headers.put(FailureHeaders.REPLAY_HANDLER, handler);
		}
		String id = (eventId(message) != null) ? eventId(message) : message.messageId();
		this.adapter.send(OutboundMessage.raw(target, message.key(), id, headers, message.body())).join();
		store.remove(deadLetterDestination, message.messageId());
	}

	private DeadLetterStore requireStore() {
		return this.adapter.deadLetterStore()
			.orElseThrow(() -> new EventBusException("The " + this.adapter.name()
					+ " adapter cannot browse dead letters; read the dead-letter destination with the broker's tools"));
	}

	private DeadLetter toDeadLetter(String destination, String deadLetterDestination, StoredMessage message) {
		Map<String, String> headers = message.headers();
		Event<?> event = decodeQuietly(message);
		return new DeadLetter((event != null) ? event.id() : message.messageId(), (event != null) ? event.type() : null,
				(event != null) ? event.subject() : null, headers.getOrDefault(FailureHeaders.DESTINATION, destination),
				deadLetterDestination, headers.get(FailureHeaders.HANDLER), headers.get(FailureHeaders.EXCEPTION),
				headers.get(FailureHeaders.MESSAGE), attempts(headers.get(FailureHeaders.ATTEMPTS)),
				instant(headers.get(FailureHeaders.FIRST_FAILURE)), instant(headers.get(FailureHeaders.LAST_FAILURE)),
				headers, new String(message.body(), StandardCharsets.UTF_8));
	}

	private @Nullable String eventId(StoredMessage message) {
		Event<?> event = decodeQuietly(message);
		return (event != null) ? event.id() : null;
	}

	private @Nullable Event<?> decodeQuietly(StoredMessage message) {
		try {
			return this.codec.decodeEnvelope(message.headers(), message.body(), "dead-letter");
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The attempts a dead letter records; 0 when the header is missing or was altered
	 * into something else.
	 */
	private static int attempts(@Nullable String value) {
		try {
			return (value != null) ? Integer.parseInt(value.trim()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static @Nullable Instant instant(@Nullable String value) {
		try {
			return (value != null) ? Instant.parse(value) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
