package dev.eventbus.spi;

import dev.eventbus.api.Event;

/**
 * Writes an event in a content mode: what an {@link OutboundMessage} of an event calls
 * when an adapter first asks for its encoding. One encoder serves every message, so
 * building a message captures nothing per event.
 */
@FunctionalInterface
public interface EventEncoder {

	/**
	 * Encode an event.
	 * @param event the event
	 * @param mode the content mode
	 * @return headers and body
	 */
	EncodedMessage encode(Event<?> event, ContentMode mode);

}
