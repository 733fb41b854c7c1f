package dev.eventbus.spi;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message as stored on a destination. The body array is shared, not copied: do not
 * modify it.
 *
 * @param messageId broker id, unique within the destination
 * @param key the key, or {@code null}
 * @param headers transport headers
 * @param body the body
 */
public record StoredMessage(String messageId, @Nullable String key, Map<String, String> headers, byte[] body) {

	public StoredMessage {
		headers = Map.copyOf(headers);
	}

}
