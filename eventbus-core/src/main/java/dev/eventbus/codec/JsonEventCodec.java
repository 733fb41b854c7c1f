package dev.eventbus.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.EventEncoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;

/**
 * CloudEvents 1.0 JSON codec on Jackson 3.
 * <p>
 * Writes structured mode (one JSON document) or binary mode ({@code ce_*} headers plus
 * {@code content-type}, body = data). Reads binary mode, structured mode, and plain JSON
 * from other producers through a {@link PlainJsonMapping}.
 * <p>
 * <b>Trace context.</b> The W3C headers {@link #TRACE_CONTEXT_HEADERS} travel in the
 * transport's own place in both modes: as headers {@code traceparent} and
 * {@code tracestate}, never prefixed with {@code ce_}; structured mode also carries them
 * as the CloudEvents distributed-tracing extension attributes of the document. On
 * reading, trace headers of the transport win over the extension attributes, so a
 * {@code traceparent} written by any producer is continued. {@link #decode} yields the
 * data as a {@link JsonNode}; {@link #decodeEnvelope} leaves binary-mode data as
 * {@link JsonData} text, so that it is parsed once, per handler, into the payload class
 * the {@link EventTypeRegistry} resolves.
 * <p>
 * <b>Broker time.</b> Adapters give each delivery the broker's own timestamp of the
 * message as the transport header {@link #BROKER_TIME} (epoch milliseconds: the Kafka
 * record timestamp, the milliseconds of a Redis stream entry id, the SQS
 * {@code SentTimestamp}). Plain JSON without a time takes it, so that its time is the
 * same on every redelivery; CloudEvents without a {@code time} keep none. Thread safe.
 */
public final class JsonEventCodec implements EventEncoder {

	/** Prefix of CloudEvents attributes in binary mode headers. */
	public static final String BINARY_PREFIX = "ce_";

	/** Content type header of binary mode. */
	public static final String CONTENT_TYPE = "content-type";

	/** Extension attribute carrying the correlation id. */
	public static final String CORRELATION_ID = "correlationid";

	/** Extension attribute carrying the causation id. */
	public static final String CAUSATION_ID = "causationid";

	/** W3C Trace Context header naming the trace and the parent span. */
	public static final String TRACEPARENT = "traceparent";

	/** W3C Trace Context header with vendor-specific trace state. */
	public static final String TRACESTATE = "tracestate";

	/**
	 * Transport header an adapter sets to the broker's own timestamp of a received
	 * message, in epoch milliseconds, unless the message already carries it (a dead
	 * letter or replay keeps the original's); the time of plain JSON without one.
	 */
	public static final String BROKER_TIME = "eventbus-broker-time";

	/**
	 * W3C Trace Context headers, written and read unprefixed in the transport's headers.
	 */
	public static final List<String> TRACE_CONTEXT_HEADERS = List.of(TRACEPARENT, TRACESTATE);

	static final Set<String> CORE_ATTRIBUTES = Set.of("specversion", "id", "source", "type", "time", "subject",
			"datacontenttype", "dataschema", "data", "data_base64", CORRELATION_ID, CAUSATION_ID);

	static final Set<String> CORE_BINARY_HEADERS = CORE_ATTRIBUTES.stream()
		.map((attribute) -> BINARY_PREFIX + attribute)
		.collect(Collectors.toUnmodifiableSet());

	private final ObjectMapper objectMapper;

	private final CloudEventReader reader;

	private final Map<Class<?>, ObjectWriter> writers = new ConcurrentHashMap<>();

	/**
	 * Create a codec.
	 * @param objectMapper mapper for payloads
	 * @param plainMapping where plain JSON keeps the envelope attributes
	 */
	public JsonEventCodec(ObjectMapper objectMapper, PlainJsonMapping plainMapping) {
		this.objectMapper = objectMapper;
		this.reader = new CloudEventReader(objectMapper, plainMapping);
	}

	public ObjectMapper objectMapper() {
		return this.objectMapper;
	}

	/**
	 * Encode an event.
	 * @param event the event
	 * @param mode the content mode
	 * @return headers and body
	 * @throws IllegalArgumentException if the payload cannot be written as JSON
	 */
	@Override
	public EncodedMessage encode(Event<?> event, ContentMode mode) {
		try {
			return (mode == ContentMode.STRUCTURED)
					? new EncodedMessage(traceContext(event.headers()), structured(event)) : binary(event);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Payload of event type '" + event.type() + "' ("
					+ event.payload().getClass().getName() + ") cannot be written as JSON: " + ex.getOriginalMessage(),
					ex);
		}
	}

	private byte[] structured(Event<?> event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator json = this.objectMapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("specversion", Event.SPEC_VERSION);
			json.writeStringProperty("id", event.id());
			json.writeStringProperty("source", event.source());
			json.writeStringProperty("type", event.type());
			if (event.time() != null) {
				json.writeStringProperty("time", EventTimes.format(event.time()));
			}
			if (event.subject() != null) {
				json.writeStringProperty("subject", event.subject());
			}
			json.writeStringProperty("datacontenttype", event.dataContentType());
			if (event.correlationId() != null) {
				json.writeStringProperty(CORRELATION_ID, event.correlationId());
			}
			if (event.causationId() != null) {
				json.writeStringProperty(CAUSATION_ID, event.causationId());
			}
			for (String name : event.headers().keySet()) {
				if (!CORE_ATTRIBUTES.contains(name)) {
					writeExtension(json, name, event.extension(name));
				}
			}
			writeStructuredData(json, event);
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void writeExtension(JsonGenerator json, String name, @Nullable Object value) {
		json.writeName(name);
		if (value instanceof Integer number) {
			json.writeNumber(number);
		}
		else if (value instanceof Boolean bool) {
			json.writeBoolean(bool);
		}
		else {
			json.writeString(String.valueOf(value));
		}
	}

	private void writeStructuredData(JsonGenerator json, Event<?> event) {
		Object payload = event.payload();
		if (Event.isJson(event.dataContentType())) {
			json.writeName("data");
			json.writePOJO(payload);
		}
		else if (payload instanceof byte[] bytes) {
			json.writeStringProperty("data_base64", Base64.getEncoder().encodeToString(bytes));
		}
		else {
			json.writeStringProperty("data", nonJsonText(event));
		}
	}

	private EncodedMessage binary(Event<?> event) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(BINARY_PREFIX + "specversion", Event.SPEC_VERSION);
		headers.put(BINARY_PREFIX + "id", event.id());
		headers.put(BINARY_PREFIX + "source", event.source());
		headers.put(BINARY_PREFIX + "type", event.type());
		if (event.time() != null) {
			headers.put(BINARY_PREFIX + "time", EventTimes.format(event.time()));
		}
		if (event.subject() != null) {
			headers.put(BINARY_PREFIX + "subject", event.subject());
		}
		if (event.correlationId() != null) {
			headers.put(BINARY_PREFIX + CORRELATION_ID, event.correlationId());
		}
		if (event.causationId() != null) {
			headers.put(BINARY_PREFIX + CAUSATION_ID, event.causationId());
		}
		event.headers().forEach((name, value) -> {
			if (TRACE_CONTEXT_HEADERS.contains(name)) {
				headers.put(name, value);
			}
			else if (!CORE_ATTRIBUTES.contains(name)) {
				headers.put(BINARY_PREFIX + name, value);
			}
		});
		headers.put(CONTENT_TYPE, event.dataContentType());
		return new EncodedMessage(headers, binaryData(event));
	}

	/**
	 * The W3C trace headers among some headers.
	 * @param headers the headers
	 * @return {@code traceparent} and {@code tracestate}, when there is a
	 * {@code traceparent}
	 */
	static Map<String, String> traceContext(Map<String, String> headers) {
		String traceparent = headers.get(TRACEPARENT);
		if (traceparent == null) {
			return Map.of();
		}
		String tracestate = headers.get(TRACESTATE);
		return (tracestate != null) ? Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate)
				: Map.of(TRACEPARENT, traceparent);
	}

	private byte[] binaryData(Event<?> event) {
		if (Event.isJson(event.dataContentType())) {
			return writeData(event.payload());
		}
		return (event.payload() instanceof byte[] bytes) ? bytes : nonJsonText(event).getBytes(StandardCharsets.UTF_8);
	}

	private static String nonJsonText(Event<?> event) {
		if (event.payload() instanceof String text) {
			return text;
		}
		throw new IllegalArgumentException("Data of event type '" + event.type() + "' with content type '"
				+ event.dataContentType() + "' must be a String or a byte[], not "
				+ event.payload().getClass().getName() + ": only JSON data is written from objects");
	}

	private byte[] writeData(Object payload) {
		ObjectWriter writer = this.writers.get(payload.getClass());
		if (writer == null) {
			writer = this.writers.computeIfAbsent(payload.getClass(), this.objectMapper::writerFor);
		}
		return writer.writeValueAsBytes(payload);
	}

	/**
	 * Decode a message in any content mode, or plain JSON.
	 * @param headers transport headers
	 * @param body the body
	 * @param defaultSource source for plain JSON messages, which have none; their time is
	 * the {@link #BROKER_TIME} header when they have none either
	 * @return the event with its data as a tree
	 * @throws EventDecodingException if the message is not JSON or has no type
	 */
	public Event<JsonNode> decode(Map<String, String> headers, byte[] body, String defaultSource) {
		Event<?> event = decodeEnvelope(headers, body, defaultSource);
		if (event.payload() instanceof JsonData data) {
			return event.withPayload(this.reader.parse(data.bytes()));
		}
		if (!(event.payload() instanceof JsonNode)) {
			return event.withPayload(this.objectMapper.valueToTree(event.payload()));
		}
		@SuppressWarnings("unchecked")
		Event<JsonNode> tree = (Event<JsonNode>) event;
		return tree;
	}

	/**
	 * Decode a message in any content mode, or plain JSON, leaving binary-mode data
	 * unparsed: the payload is {@link JsonData} (its JSON is not checked yet) or, for
	 * structured mode and plain JSON, which are parsed whole to find the attributes, a
	 * {@link JsonNode}.
	 * @param headers transport headers
	 * @param body the body, kept (not copied) by a {@link JsonData} payload
	 * @param defaultSource source for plain JSON messages, which have none
	 * @return the event, payload a {@link JsonData} or a {@link JsonNode}
	 * @throws EventDecodingException if the message has no type, or a body read whole is
	 * not JSON
	 */
	public Event<?> decodeEnvelope(Map<String, String> headers, byte[] body, String defaultSource) {
		return this.reader.read(headers, body, defaultSource, () -> UUID.nameUUIDFromBytes(body).toString());
	}

	/**
	 * Decode a message as {@link #decodeEnvelope(Map, byte[], String)} does, giving plain
	 * JSON without an id this one: the broker's identity of the message, which is stable
	 * across redelivery and unique per message, so two identical messages stay two
	 * events. Plain JSON without a time takes the {@link #BROKER_TIME} header.
	 * @param headers transport headers
	 * @param body the body, kept (not copied) by a {@link JsonData} payload
	 * @param defaultSource source for plain JSON messages without one
	 * @param defaultId id for plain JSON messages without one, asked for only then
	 * @return the event, payload a {@link JsonData} or a {@link JsonNode}
	 * @throws EventDecodingException if the message is empty, is binary mode without an
	 * id or type, or has no type, or a body read whole is not a JSON object
	 */
	public Event<?> decodeEnvelope(Map<String, String> headers, byte[] body, String defaultSource,
			Supplier<String> defaultId) {
		return this.reader.read(headers, body, defaultSource, defaultId);
	}

	/**
	 * First characters of a body, for logs and errors.
	 * @param body the body
	 * @return up to 64 characters
	 */
	public static String preview(byte[] body) {
		String text = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8);
		return (body.length > 64) ? text + "..." : text;
	}

}
