package dev.eventbus.codec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventMessage;
import dev.eventbus.spi.ContentMode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The official CloudEvents Java SDK as an independent consumer of what the codec writes
 * and an independent producer of what it reads, in structured JSON mode.
 */
class CloudEventsSdkInteroperabilityTests {

	private final EventFormat format = new JsonFormat();

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	@Test
	void whatTheBusWritesIsAValidCloudEventForTheSdk() {
		Event<Map<String, Object>> event = new Event<>("id-1", "order.created", "urn:shop",
				Instant.parse("2026-12-07T10:15:30.123456789Z"), "order-7", "corr-1", "cause-1",
				Map.of("channel", "web", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
				Map.of("amount", 42));
		CloudEvent read = this.format.deserialize(this.codec.encode(event, ContentMode.STRUCTURED).body());
		assertThat(read.getId()).isEqualTo("id-1");
		assertThat(read.getType()).isEqualTo("order.created");
		assertThat(read.getSource()).isEqualTo(URI.create("urn:shop"));
		assertThat(read.getSubject()).isEqualTo("order-7");
		assertThat(read.getTime()).isEqualTo(OffsetDateTime.of(2026, 12, 7, 10, 15, 30, 123456789, ZoneOffset.UTC));
		assertThat(read.getDataContentType()).isEqualTo("application/json");
		assertThat(read.getExtension("channel")).isEqualTo("web");
		assertThat(read.getExtension("correlationid")).isEqualTo("corr-1");
		assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");
	}

	@Test
	void aJsonEventTheSdkWritesReachesTheBusWithItsAttributes() {
		CloudEvent written = CloudEventBuilder.v1()
			.withId("sdk-1")
			.withSource(URI.create("urn:sdk"))
			.withType("order.created")
			.withSubject("order-9")
			.withTime(OffsetDateTime.parse("2026-12-07T10:15:30Z"))
			.withDataContentType("application/json")
			.withExtension("channel", "mobile")
			.withData("{\"amount\":5}".getBytes(StandardCharsets.UTF_8))
			.build();
		Event<JsonNode> read = this.codec.decode(Map.of(), this.format.serialize(written), "ignored");
		assertThat(read.id()).isEqualTo("sdk-1");
		assertThat(read.source()).isEqualTo("urn:sdk");
		assertThat(read.subject()).isEqualTo("order-9");
		assertThat(read.time()).isEqualTo(Instant.parse("2026-12-07T10:15:30Z"));
		assertThat(read.header("channel")).isEqualTo("mobile");
		assertThat(read.payload().get("amount").asInt()).isEqualTo(5);
	}

	@Test
	void anEventWithoutTimeKeepsNoTimeOnEveryReadAndIsWrittenWithout() {
		CloudEvent written = CloudEventBuilder.v1()
			.withId("sdk-2")
			.withSource(URI.create("urn:sdk"))
			.withType("order.created")
			.withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
			.build();
		byte[] body = this.format.serialize(written);
		Event<JsonNode> first = this.codec.decode(Map.of(), body, "ignored");
		Event<JsonNode> second = this.codec.decode(Map.of(), body, "ignored");
		assertThat(first.time()).isNull();
		assertThat(second.time()).isNull();
		CloudEvent republished = this.format.deserialize(this.codec.encode(first, ContentMode.STRUCTURED).body());
		assertThat(republished.getTime()).isNull();
		assertThat(this.codec.encode(first, ContentMode.BINARY).headers()).doesNotContainKey("ce_time");
	}

	@Test
	void textAndBinaryDataTheSdkWritesReachTheBusWithTheirContentType() {
		CloudEvent text = CloudEventBuilder.v1()
			.withId("sdk-3")
			.withSource(URI.create("urn:sdk"))
			.withType("note.added")
			.withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8))
			.build();
		Event<?> readText = this.codec.decodeEnvelope(Map.of(), this.format.serialize(text), "ignored");
		assertThat(readText.dataContentType()).isEqualTo("text/plain");
		assertThat(readText.payload()).isEqualTo("hello");

		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 };
		CloudEvent binary = CloudEventBuilder.v1()
			.withId("sdk-4")
			.withSource(URI.create("urn:sdk"))
			.withType("image.uploaded")
			.withData("image/png", image)
			.build();
		byte[] structured = this.format.serialize(binary);
		assertThat(new String(structured, StandardCharsets.UTF_8)).contains("\"data_base64\"");
		Event<?> readBinary = this.codec.decodeEnvelope(Map.of(), structured, "ignored");
		assertThat(readBinary.dataContentType()).isEqualTo("image/png");
		assertThat(readBinary.payload()).isEqualTo(image);

		CloudEvent array = CloudEventBuilder.v1()
			.withId("sdk-5")
			.withSource(URI.create("urn:sdk"))
			.withType("batch.created")
			.withData("application/json", "[1,2,3]".getBytes(StandardCharsets.UTF_8))
			.build();
		Event<JsonNode> readArray = this.codec.decode(Map.of(), this.format.serialize(array), "ignored");
		assertThat(readArray.payload().isArray()).isTrue();
		assertThat(readArray.payload().size()).isEqualTo(3);
	}

	@Test
	void textAndBinaryDataTheBusWritesReachTheSdkWithTheirContentType() {
		Event<String> text = new Event<>("id-2", "note.added", "urn:shop", Instant.parse("2026-12-07T10:00:00Z"), null,
				null, null, Map.of(), "text/plain", "hello");
		CloudEvent readText = this.format.deserialize(this.codec.encode(text, ContentMode.STRUCTURED).body());
		assertThat(readText.getDataContentType()).isEqualTo("text/plain");
		assertThat(new String(readText.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");

		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 };
		Event<byte[]> binary = new Event<>("id-3", "image.uploaded", "urn:shop", null, null, null, null, Map.of(),
				"image/png", image);
		CloudEvent readBinary = this.format.deserialize(this.codec.encode(binary, ContentMode.STRUCTURED).body());
		assertThat(readBinary.getDataContentType()).isEqualTo("image/png");
		assertThat(readBinary.getData().toBytes()).isEqualTo(image);
		assertThat(this.codec.encode(binary, ContentMode.BINARY).headers()).containsEntry("content-type", "image/png");
		assertThat(this.codec.encode(binary, ContentMode.BINARY).body()).isEqualTo(image);
	}

	@Test
	void anEventOfAnotherSpecVersionIsRejectedNamingTheVersion() {
		byte[] v03 = "{\"specversion\":\"0.3\",\"id\":\"old-1\",\"source\":\"urn:x\",\"type\":\"t\",\"data\":{}}"
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(EventDecodingException.class).isThrownBy(() -> this.codec.decode(Map.of(), v03, "x"))
			.withMessage("CloudEvent 'old-1' has specversion '0.3': only CloudEvents 1.0 is read");
	}

	@Test
	void anEventWithoutSourceIsRejected() {
		byte[] noSource = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"t\",\"data\":{}}"
			.getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of(), noSource, "x"))
			.withMessage("CloudEvent 'e-1' has no 'source', which CloudEvents 1.0 requires");
		assertThatExceptionOfType(EventDecodingException.class)
			.isThrownBy(() -> this.codec.decode(Map.of("ce_specversion", "1.0", "ce_id", "e-2", "ce_type", "t"),
					"{}".getBytes(StandardCharsets.UTF_8), "x"))
			.withMessage("CloudEvent 'e-2' has no 'source', which CloudEvents 1.0 requires");
	}

	@Test
	void integerAndBooleanExtensionsKeepTheirTypesBothWays() {
		CloudEvent written = CloudEventBuilder.v1()
			.withId("sdk-3")
			.withSource(URI.create("urn:sdk"))
			.withType("order.created")
			.withExtension("priority", 5)
			.withExtension("urgent", true)
			.withExtension("channel", "7")
			.withData("application/json", "{}".getBytes(StandardCharsets.UTF_8))
			.build();
		Event<JsonNode> read = this.codec.decode(Map.of(), this.format.serialize(written), "ignored");
		assertThat(read.extension("priority")).isEqualTo(5);
		assertThat(read.extension("urgent")).isEqualTo(true);
		assertThat(read.extension("channel")).as("a string that looks like a number stays a string").isEqualTo("7");
		assertThat(read.headers()).containsEntry("priority", "5").containsEntry("urgent", "true");
		CloudEvent again = this.format.deserialize(this.codec.encode(read, ContentMode.STRUCTURED).body());
		assertThat(again.getExtension("priority")).isEqualTo(5);
		assertThat(again.getExtension("urgent")).isEqualTo(true);
		assertThat(again.getExtension("channel")).isEqualTo("7");
	}

	@Test
	void anEventPublishedWithTypedExtensionsIsWrittenWithTheirTypes() {
		EventMessage<Map<String, Object>> message = EventMessage.of("order.created", Map.<String, Object>of())
			.extension("priority", 5)
			.extension("urgent", false)
			.header("channel", "web")
			.build();
		Event<Map<String, Object>> event = new Event<>("id-9", "order.created", "urn:shop", null, null, null, null,
				message.headers(), message.payload());
		CloudEvent read = this.format.deserialize(this.codec.encode(event, ContentMode.STRUCTURED).body());
		assertThat(read.getExtension("priority")).isEqualTo(5);
		assertThat(read.getExtension("urgent")).isEqualTo(false);
		assertThat(read.getExtension("channel")).isEqualTo("web");
		assertThat(this.codec.encode(event, ContentMode.BINARY).headers()).containsEntry("ce_priority", "5")
			.containsEntry("ce_urgent", "false");
	}

	@Test
	void anExtensionOfAnotherTypeIsRejectedNamingTheTypesAllowed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventMessage.of("order.created", "x").extension("amount", 5L))
			.withMessageContaining("Extension 'amount' must be a String, an Integer or a Boolean")
			.withMessageContaining("java.lang.Long");
	}

	@Test
	void aTimeWithMoreThanNineFractionalDigitsIsReadAsRfc3339AllowsIt() {
		byte[] precise = ("{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"urn:x\",\"type\":\"t\","
				+ "\"time\":\"2026-12-07T10:15:30.1234567891234+01:00\",\"data\":{}}")
			.getBytes(StandardCharsets.UTF_8);
		assertThat(this.codec.decode(Map.of(), precise, "x").time())
			.isEqualTo(Instant.parse("2026-12-07T09:15:30.123456789Z"));
	}

}
