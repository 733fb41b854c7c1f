package dev.eventbus.memory;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds event messages for adapter tests.
 */
final class TestMessages {

	static final JsonEventCodec CODEC = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private TestMessages() {
	}

	static Event<Map<String, Object>> event(@Nullable String subject, int sequence) {
		return new Event<>(UUID.randomUUID().toString(), "test.happened", "urn:test", Instant.now(), subject, null,
				null, Map.of(), Map.of("sequence", sequence));
	}

	static OutboundMessage message(String destination, Event<?> event) {
		return OutboundMessage.ofEvent(destination, event, CODEC);
	}

	static OutboundMessage message(String destination, @Nullable String subject, int sequence) {
		return message(destination, event(subject, sequence));
	}

	static int sequenceOf(Event<?> event) {
		return (Integer) ((Map<?, ?>) event.payload()).get("sequence");
	}

}
