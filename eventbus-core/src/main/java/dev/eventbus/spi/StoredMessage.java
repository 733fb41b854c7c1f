package dev.eventbus.spi;

import java.util.Map;

/**
 * A message as stored on a destination.
 *
 * @param messageId broker id, unique within the destination
 * @param key the key, or {@code null}
 * @param headers transport headers
 * @param body the body
 */
public record StoredMessage(String messageId, @org.jspecify.annotations.Nullable String key,
		Map<String, String> headers, byte[] body) {

	public StoredMessage {
		headers = Map.copyOf(headers);
	}

}
