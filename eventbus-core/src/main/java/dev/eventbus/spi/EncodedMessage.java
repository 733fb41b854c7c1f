package dev.eventbus.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers and body as they go on the wire. The body array is shared, not copied: do not
 * modify it.
 *
 * @param headers transport headers (Kafka headers, stream fields, message attributes), in
 * the order given; unmodifiable
 * @param body the body
 */
public record EncodedMessage(Map<String, String> headers, byte[] body) {

	public EncodedMessage {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

}
