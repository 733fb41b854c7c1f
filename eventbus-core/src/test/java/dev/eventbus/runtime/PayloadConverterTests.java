package dev.eventbus.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PayloadConverterTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final PayloadConverter converter;

	PayloadConverterTests() {
		EventTypeRegistry registry = new EventTypeRegistry();
		registry.register("order.placed", OrderPlaced.class);
		this.converter = new PayloadConverter(registry, this.mapper);
	}

	@Test
	void jsonTextIsReadStraightIntoTheRegisteredClass() {
		assertThat(this.converter.convert(event("{\"id\":\"o-1\",\"amount\":5}"), OrderPlaced.class))
			.isEqualTo(new OrderPlaced("o-1", 5));
	}

	@Test
	void jsonTextIsReadIntoTreesAndMaps() {
		Event<JsonData> event = event("{\"id\":\"o-1\",\"amount\":5}");
		assertThat(this.converter.convert(event, JsonNode.class))
			.isEqualTo(this.mapper.readTree("{\"id\":\"o-1\",\"amount\":5}"));
		assertThat(this.converter.convert(event, Map.class)).isEqualTo(Map.of("id", "o-1", "amount", 5));
		assertThat(this.converter.convert(event, Object.class)).isEqualTo(Map.of("id", "o-1", "amount", 5));
		assertThat(this.converter.parsed(event).payload())
			.isEqualTo(this.mapper.readTree("{\"id\":\"o-1\",\"amount\":5}"));
	}

	@Test
	void jsonNullIsATreeButNoTypedData() {
		assertThat(this.converter.convert(event("null"), JsonNode.class)).isEqualTo(NullNode.getInstance());
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.converter.convert(event("null"), OrderPlaced.class))
			.withMessageContaining("has no data");
	}

	@Test
	void textThatIsNoJsonOrDoesNotFitFailsAsUndecodable() {
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.converter.convert(event("{not json"), OrderPlaced.class))
			.withMessageContaining("is not valid JSON")
			.withMessageContaining("{not json");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.converter.convert(event("{not json"), JsonNode.class))
			.withMessageContaining("is not valid JSON");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.converter.convert(event("{\"id\":\"o-1\",\"amount\":\"many\"}"), OrderPlaced.class))
			.withMessageContaining("does not convert into " + OrderPlaced.class.getName());
	}

	private static Event<JsonData> event(String json) {
		return new Event<>("id-1", "order.placed", "urn:test", Instant.now(), null, null, null, Map.of(),
				new JsonData(json.getBytes(StandardCharsets.UTF_8)));
	}

	record OrderPlaced(String id, int amount) {
	}

}
