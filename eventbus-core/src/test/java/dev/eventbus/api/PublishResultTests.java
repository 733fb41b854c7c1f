package dev.eventbus.api;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PublishResult}.
 */
class PublishResultTests {

	@Test
	void positionIsSuppliedOnFirstUseOnly() {
		AtomicInteger calls = new AtomicInteger();
		PublishResult result = new PublishResult("id-1", "order.placed", "orders", () -> {
			calls.incrementAndGet();
			return "42";
		}, "id-1");
		assertThat(calls).hasValue(0);
		assertThat(result.position()).isEqualTo("42");
		assertThat(result.position()).isEqualTo("42");
		assertThat(calls).hasValue(1);
	}

	@Test
	void equalsAndHashCodeCoverEveryValueWhetherThePositionIsSuppliedOrGiven() {
		PublishResult given = new PublishResult("id-1", "order.placed", "orders", "42", "c-1");
		PublishResult supplied = new PublishResult("id-1", "order.placed", "orders", () -> "42", "c-1");
		assertThat(supplied).isEqualTo(given).hasSameHashCodeAs(given);
		assertThat(new PublishResult("id-1", "order.placed", "orders", "43", "c-1")).isNotEqualTo(given);
		assertThat(new PublishResult("id-1", "order.placed", "orders", "42", "c-2")).isNotEqualTo(given);
		assertThat(given).hasToString(
				"PublishResult[eventId=id-1, type=order.placed, destination=orders, position=42, correlationId=c-1]");
	}

	@Test
	void serializesToJsonLikeARecord() {
		PublishResult result = new PublishResult("id-1", "order.placed", "orders", () -> "42", "c-1");
		assertThat(JsonMapper.builder().build().writeValueAsString(result)).isEqualTo(
				"{\"eventId\":\"id-1\",\"type\":\"order.placed\",\"destination\":\"orders\",\"position\":\"42\",\"correlationId\":\"c-1\"}");
	}

}
