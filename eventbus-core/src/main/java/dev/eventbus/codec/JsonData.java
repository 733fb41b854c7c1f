package dev.eventbus.codec;

import java.nio.charset.StandardCharsets;

/**
 * Event data still as JSON text, as {@link JsonEventCodec#decodeEnvelope} leaves it: the
 * runtime parses it once, straight into what the handler asks for, instead of building a
 * tree first. Its {@link #toString()} is the text.
 *
 * @param bytes the UTF-8 JSON text, shared, not copied: do not modify it
 */
public record JsonData(byte[] bytes) {

	@Override
	public String toString() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

}
