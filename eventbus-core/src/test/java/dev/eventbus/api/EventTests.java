package dev.eventbus.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link Event}.
 */
class EventTests {

	private static final Instant TIME = Instant.parse("2026-11-23T09:00:00Z");

	@Test
	void randomIdIsAVersion4UuidThatStaysTheSame() {
		Event<String> event = Event.withRandomId("order.placed", "/shop", TIME, "o-1", null, null, Map.of(), "p");
		UUID id = UUID.fromString(event.id());
		assertThat(id.version()).isEqualTo(4);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(Event.withRandomId("order.placed", "/shop", TIME, "o-1", null, null, Map.of(), "p").id())
			.isNotEqualTo(event.id());
	}

	@Test
	void eventThatStartsAFlowIsCorrelatedByItsOwnId() {
		Event<String> started = Event.withRandomId("order.placed", "/shop", TIME, null, null, null, Map.of(), "p");
		assertThat(started.correlationId()).isEqualTo(started.id());
		Event<String> joined = Event.withRandomId("order.paid", "/shop", TIME, null, "flow-1", started.id(), Map.of(),
				"p");
		assertThat(joined.correlationId()).isEqualTo("flow-1");
		assertThat(joined.causationId()).isEqualTo(started.id());
	}

	@Test
	void copyWithAnotherPayloadKeepsEveryAttribute() {
		Event<String> event = Event.withRandomId("order.placed", "/shop", TIME, "o-1", null, "cause",
				Map.of("tenant", "t1"), "p");
		Event<Integer> copy = event.withPayload(7);
		assertThat(copy.id()).isEqualTo(event.id());
		assertThat(copy.correlationId()).isEqualTo(event.id());
		assertThat(copy.type()).isEqualTo("order.placed");
		assertThat(copy.source()).isEqualTo("/shop");
		assertThat(copy.time()).isEqualTo(TIME);
		assertThat(copy.subject()).isEqualTo("o-1");
		assertThat(copy.causationId()).isEqualTo("cause");
		assertThat(copy.header("tenant")).isEqualTo("t1");
		assertThat(copy.payload()).isEqualTo(7);
	}

	@Test
	void equalsHashCodeAndToStringCoverEveryValue() {
		Event<String> made = Event.withRandomId("order.placed", "/shop", TIME, "o-1", null, null, Map.of("a", "b"),
				"p");
		Event<String> given = new Event<>(made.id(), "order.placed", "/shop", TIME, "o-1", made.id(), null,
				Map.of("a", "b"), "p");
		assertThat(made).isEqualTo(given).hasSameHashCodeAs(given);
		assertThat(given.withPayload("q")).isNotEqualTo(given);
		assertThat(new Event<>(made.id(), "order.placed", "/shop", TIME, "o-1", "other", null, Map.of("a", "b"), "p"))
			.isNotEqualTo(made);
		assertThat(given).hasToString("Event[id=" + made.id() + ", type=order.placed, source=/shop, time=" + TIME
				+ ", subject=o-1, correlationId=" + made.id()
				+ ", causationId=null, headers={a=b}, dataContentType=application/json, payload=p]");
		assertThat(given.withDataContentType("text/plain")).isNotEqualTo(given);
	}

	@Test
	void requiredAttributesAreNamedWhenMissing() {
		assertThatNullPointerException()
			.isThrownBy(() -> new Event<>(null, "t", "/s", TIME, null, null, null, Map.of(), "p"))
			.withMessage("id");
		assertThatNullPointerException()
			.isThrownBy(() -> Event.withRandomId("t", "/s", TIME, null, null, null, Map.of(), null))
			.withMessage("payload");
	}

	@Test
	void publishResultIsWrittenAsJsonWithItsFiveValues() {
		PublishResult result = new PublishResult("id-1", "order.placed", "orders", "3", "c-1");
		assertThat(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(result)).isEqualTo(
				"{\"eventId\":\"id-1\",\"type\":\"order.placed\",\"destination\":\"orders\",\"position\":\"3\",\"correlationId\":\"c-1\"}");
	}

}
