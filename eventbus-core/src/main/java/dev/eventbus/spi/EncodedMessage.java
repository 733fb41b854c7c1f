package dev.eventbus.spi;

import java.util.Map;

/**
 * Headers and body as they go on the wire. The body array is shared, not copied: do not modify it.
 *
 * @param headers transport headers (Kafka headers, stream fields, message attributes); unmodifiable;
 * {@link OrderedHeaders} are kept as they are, other maps are copied
 * @param body the body
 */
public record EncodedMessage(Map<String, String> headers, byte[] body) {

	public EncodedMessage {
		headers = (headers instanceof OrderedHeaders) ? headers : Map.copyOf(headers);
	}

}
