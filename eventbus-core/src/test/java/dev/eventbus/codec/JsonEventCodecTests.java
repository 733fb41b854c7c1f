package dev.eventbus.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonEventCodecTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final JsonEventCodec codec = new JsonEventCodec(this.mapper, PlainJsonMapping.DEFAULT);

	private final Event<Order> event = new Event<>("id-1", "order.created", "urn:shop",
			Instant.parse("2026-11-22T10:15:30Z"), "order-7", "corr-1", "cause-1",
			Map.of("tenant", "acme", "traceparent", "00-abc-def-01"), new Order("order-7", 42));

	@Test
	void structuredModeWritesCloudEventsAttributesAndData() {
		EncodedMessage encoded = this.codec.encode(this.event, ContentMode.STRUCTURED);
		JsonNode json = this.mapper.readTree(encoded.body());
		assertThat(encoded.headers()).containsExactly(Map.entry("traceparent", "00-abc-def-01"));
		assertThat(json.get("traceparent").asString()).isEqualTo("00-abc-def-01");
		assertThat(json.get("specversion").asString()).isEqualTo("1.0");
		assertThat(json.get("id").asString()).isEqualTo("id-1");
		assertThat(json.get("type").asString()).isEqualTo("order.created");
		assertThat(json.get("source").asString()).isEqualTo("urn:shop");
		assertThat(json.get("time").asString()).isEqualTo("2026-11-22T10:15:30Z");
		assertThat(json.get("subject").asString()).isEqualTo("order-7");
		assertThat(json.get("datacontenttype").asString()).isEqualTo("application/json");
		assertThat(json.get("correlationid").asString()).isEqualTo("corr-1");
		assertThat(json.get("causationid").asString()).isEqualTo("cause-1");
		assertThat(json.get("tenant").asString()).isEqualTo("acme");
		assertThat(json.get("data").get("amount").asInt()).isEqualTo(42);
	}

	@Test
	void structuredModeRoundTrips() {
		EncodedMessage encoded = this.codec.encode(this.event, ContentMode.STRUCTURED);
		assertRoundTrip(this.codec.decode(encoded.headers(), encoded.body(), "ignored"));
	}

	@Test
	void binaryModeUsesCeHeadersAndDataBody() {
		EncodedMessage encoded = this.codec.encode(this.event, ContentMode.BINARY);
		assertThat(encoded.headers()).containsEntry("ce_id", "id-1")
			.containsEntry("ce_type", "order.created")
			.containsEntry("ce_subject", "order-7")
			.containsEntry("ce_correlationid", "corr-1")
			.containsEntry("ce_tenant", "acme")
			.containsEntry("content-type", "application/json")
			.containsEntry("traceparent", "00-abc-def-01")
			.doesNotContainKey("ce_traceparent");
		assertThat(this.mapper.readTree(encoded.body()).get("id").asString()).isEqualTo("order-7");
		assertRoundTrip(this.codec.decode(encoded.headers(), encoded.body(), "ignored"));
	}

	@Test
	void traceContextOfTheTransportWinsOverTheExtensionAttribute() {
		EncodedMessage encoded = this.codec.encode(this.event, ContentMode.STRUCTURED);
		Map<String, String> transport = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
				"tracestate", "congo=t61rcWkgMzE");
		Event<JsonNode> decoded = this.codec.decode(transport, encoded.body(), "ignored");
		assertThat(decoded.headers()).containsAllEntriesOf(transport).containsEntry("tenant", "acme");
	}

	@Test
	void plainJsonContinuesATraceparentOfTheTransport() {
		String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
		Event<JsonNode> decoded = this.codec.decode(Map.of("traceparent", traceparent),
				"{\"type\":\"order.created\",\"id\":\"o-1\"}".getBytes(StandardCharsets.UTF_8), "urn:foreign");
		assertThat(decoded.header("traceparent")).isEqualTo(traceparent);
	}

	private void assertRoundTrip(Event<JsonNode> decoded) {
		assertThat(decoded.id()).isEqualTo("id-1");
		assertThat(decoded.type()).isEqualTo("order.created");
		assertThat(decoded.source()).isEqualTo("urn:shop");
		assertThat(decoded.time()).isEqualTo(this.event.time());
		assertThat(decoded.subject()).isEqualTo("order-7");
		assertThat(decoded.correlationId()).isEqualTo("corr-1");
		assertThat(decoded.causationId()).isEqualTo("cause-1");
		assertThat(decoded.headers()).containsExactlyInAnyOrderEntriesOf(this.event.headers());
		assertThat(this.mapper.treeToValue(decoded.payload(), Order.class)).isEqualTo(this.event.payload());
	}

	@Test
	void plainJsonIsReadThroughAFieldMapping() {
		JsonEventCodec legacy = new JsonEventCodec(this.mapper,
				new PlainJsonMapping("id", "source", "event", "urn", "time", "correlationId", "payload"));
		byte[] body = "{\"urn\":\"order-9\",\"event\":\"order.created\",\"payload\":{\"id\":\"order-9\",\"amount\":5}}"
			.getBytes(StandardCharsets.UTF_8);
		Event<JsonNode> decoded = legacy.decode(Map.of(), body, "urn:legacy");
		assertThat(decoded.type()).isEqualTo("order.created");
		assertThat(decoded.subject()).isEqualTo("order-9");
		assertThat(decoded.source()).isEqualTo("urn:legacy");
		assertThat(decoded.payload().get("amount").asInt()).isEqualTo(5);
		assertThat(decoded.id()).as("stable id derived from the bytes")
			.isEqualTo(legacy.decode(Map.of(), body, "urn:legacy").id());
	}

	@Test
	void plainJsonWithoutIdOrSourceTakesTheGivenDefaultsAndNamesItsSourceWhenItHasOne() {
		byte[] body = "{\"type\":\"order.cancelled\",\"orderId\":\"o-1\"}".getBytes(StandardCharsets.UTF_8);
		Event<?> first = this.codec.decodeEnvelope(Map.of(), body, "urn:eventbus:destination:orders",
				() -> "orders/0@17");
		Event<?> second = this.codec.decodeEnvelope(Map.of(), body, "urn:eventbus:destination:orders",
				() -> "orders/0@18");
		assertThat(first.id()).isEqualTo("orders/0@17");
		assertThat(second.id()).as("an identical message is another event").isEqualTo("orders/0@18");
		assertThat(first.source()).isEqualTo("urn:eventbus:destination:orders");
		byte[] named = "{\"type\":\"order.cancelled\",\"source\":\"urn:shop\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decodeEnvelope(Map.of(), named, "urn:default", () -> "x").source()).isEqualTo("urn:shop");
	}

	@Test
	void plainJsonWithoutTimeTakesTheBrokerTimeAndKeepsItsOwnWhenItHasOne() {
		Map<String, String> transport = Map.of(JsonEventCodec.BROKER_TIME, "1767323045678");
		byte[] untimed = "{\"type\":\"order.cancelled\",\"data\":{\"orderId\":\"o-1\"}}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(transport, untimed, "urn:x").time())
			.isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
		assertThat(this.codec.decode(Map.of(), untimed, "urn:x").time()).as("no broker time either").isNull();
		assertThat(this.codec.decode(Map.of(JsonEventCodec.BROKER_TIME, "soon"), untimed, "urn:x").time())
			.as("a broker time that is no number")
			.isNull();
		byte[] timed = "{\"type\":\"order.cancelled\",\"time\":\"2025-05-06T07:08:09Z\"}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(transport, timed, "urn:x").time())
			.isEqualTo(Instant.parse("2025-05-06T07:08:09Z"));
		EncodedMessage structured = this.codec.encode(new Event<>("e-1", "order.cancelled", "urn:x", null, null, null,
				null, Map.of(), Map.of("orderId", "o-1")), ContentMode.STRUCTURED);
		assertThat(this.codec.decode(transport, structured.body(), "urn:x").time())
			.as("a CloudEvent without time keeps none")
			.isNull();
	}

	@Test
	void plainJsonWithoutTheMappedDataFieldIsDataAsAWhole() {
		byte[] body = "{\"type\":\"order.cancelled\",\"orderId\":\"o-1\"}".getBytes(StandardCharsets.UTF_8);
		Event<JsonNode> decoded = this.codec.decode(Map.of(), body, "urn:x");
		assertThat(decoded.payload().get("orderId").asString()).isEqualTo("o-1");
		assertThat(decoded.payload().get("type").asString()).as("the envelope fields stay in the data")
			.isEqualTo("order.cancelled");
	}

	@Test
	void rejectionsSayWhatIsWrong() {
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of(), new byte[0], "urn:x"))
			.withMessage("Message is empty: no body and no CloudEvents headers");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of("ce_type", "order.created", "ce_source", "urn:x"),
					"{}".getBytes(StandardCharsets.UTF_8), "urn:x"))
			.withMessage("Binary-mode CloudEvent has no 'ce_id' header");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of("ce_id", "e-1"), "{}".getBytes(StandardCharsets.UTF_8), "urn:x"))
			.withMessage("Binary-mode CloudEvent 'e-1' has no 'ce_type' header");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of(), "[1,2]".getBytes(StandardCharsets.UTF_8), "urn:x"))
			.withMessageStartingWith("Message body is JSON but not an object");
	}

	@Test
	void plainJsonWithoutDataFieldIsWholeDocument() {
		byte[] body = "{\"type\":\"ping\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
		Event<JsonNode> decoded = this.codec.decode(Map.of(), body, "urn:x");
		assertThat(decoded.payload().get("n").asInt()).isEqualTo(1);
	}

	@Test
	void decodingTheEnvelopeLeavesBinaryModeDataUnparsed() {
		EncodedMessage encoded = this.codec.encode(this.event, ContentMode.BINARY);
		Event<?> envelope = this.codec.decodeEnvelope(encoded.headers(), encoded.body(), "ignored");
		assertThat(envelope.payload()).isInstanceOfSatisfying(JsonData.class,
				(data) -> assertThat(data.bytes()).isSameAs(encoded.body()));
		assertThat(envelope.time()).isEqualTo(this.event.time());
		assertThat(envelope.headers()).containsExactlyInAnyOrderEntriesOf(this.event.headers());
		byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decodeEnvelope(encoded.headers(), notJson, "ignored").payload()).as("not checked yet")
			.hasToString("{not json");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(encoded.headers(), notJson, "ignored"))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void invalidJsonFailsWithDecodingException() {
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of(), "{not json".getBytes(StandardCharsets.UTF_8), "urn:x"))
			.withMessageContaining("not valid JSON")
			.withMessageContaining("{not json");
	}

	@Test
	void messageWithoutTypeFailsWithDecodingException() {
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "urn:x"))
			.withMessageContaining("no event type");
	}

	@Test
	void unserializablePayloadFailsWithIllegalArgument() {
		Event<Object> bad = new Event<>("id", "bad", "urn:x", Instant.now(), null, null, null, Map.of(),
				new Exploding());
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.codec.encode(bad, ContentMode.STRUCTURED))
			.withMessageContaining("cannot be written as JSON");
	}

	record Order(String id, int amount) {
	}

	static class Exploding {

		public String getValue() {
			throw new IllegalStateException("boom");
		}

	}

}
