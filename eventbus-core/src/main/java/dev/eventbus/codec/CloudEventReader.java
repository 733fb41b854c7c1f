package dev.eventbus.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.Extensions;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.NullNode;

import static dev.eventbus.codec.JsonEventCodec.BINARY_PREFIX;
import static dev.eventbus.codec.JsonEventCodec.BROKER_TIME;
import static dev.eventbus.codec.JsonEventCodec.CAUSATION_ID;
import static dev.eventbus.codec.JsonEventCodec.CONTENT_TYPE;
import static dev.eventbus.codec.JsonEventCodec.CORE_ATTRIBUTES;
import static dev.eventbus.codec.JsonEventCodec.CORE_BINARY_HEADERS;
import static dev.eventbus.codec.JsonEventCodec.CORRELATION_ID;
import static dev.eventbus.codec.JsonEventCodec.TRACE_CONTEXT_HEADERS;
import static dev.eventbus.codec.JsonEventCodec.preview;
import static dev.eventbus.codec.JsonEventCodec.traceContext;

/**
 * The reading half of the {@link JsonEventCodec}: a message in binary mode ({@code ce_*}
 * headers), structured mode (a JSON object with {@code specversion}) or plain JSON
 * through a {@link PlainJsonMapping}, checked against the rules of CloudEvents 1.0, its
 * data by its content type, and the transport's trace headers over the extension
 * attributes. Plain JSON without a time takes the broker's timestamp from the
 * {@link JsonEventCodec#BROKER_TIME} header. Thread safe.
 */
final class CloudEventReader {

	private final ObjectMapper objectMapper;

	private final PlainJsonMapping plainMapping;

	CloudEventReader(ObjectMapper objectMapper, PlainJsonMapping plainMapping) {
		this.objectMapper = objectMapper;
		this.plainMapping = plainMapping;
	}

	/**
	 * Read a message.
	 * @param headers transport headers
	 * @param body the body
	 * @param defaultSource source for plain JSON messages without one
	 * @param defaultId id for plain JSON messages without one, asked for only then
	 * @return the event, binary-mode JSON data left as {@link JsonData}
	 * @throws EventDecodingException naming what is wrong
	 */
	Event<?> read(Map<String, String> headers, byte[] body, String defaultSource, Supplier<String> defaultId) {
		return withTraceContext(decodeAnyMode(headers, body, defaultSource, defaultId), headers);
	}

	private Event<?> decodeAnyMode(Map<String, String> headers, byte[] body, String defaultSource,
			Supplier<String> defaultId) {
		if (headers.containsKey(BINARY_PREFIX + "id") || headers.containsKey(BINARY_PREFIX + "type")
				|| headers.containsKey(BINARY_PREFIX + "specversion")) {
			return decodeBinary(headers, body);
		}
		if (body.length == 0) {
			throw new EventDecodingException("Message is empty: no body and no CloudEvents headers");
		}
		JsonNode document = parse(body);
		if (!document.isObject()) {
			throw new EventDecodingException(
					"Message body is JSON but not an object (starts with '" + preview(body) + "')");
		}
		if (document.has("specversion")) {
			return decodeStructured(document);
		}
		return decodePlain(document, defaultSource, defaultId, headers);
	}

	private static Event<?> withTraceContext(Event<?> event, Map<String, String> transportHeaders) {
		Map<String, String> trace = traceContext(transportHeaders);
		if (trace.isEmpty() || trace.equals(traceContext(event.headers()))) {
			return event;
		}
		Map<String, String> headers = new HashMap<>(event.headers());
		TRACE_CONTEXT_HEADERS.forEach(headers::remove);
		headers.putAll(trace);
		return new Event<>(event.id(), event.type(), event.source(), event.time(), event.subject(),
				event.correlationId(), event.causationId(), Extensions.keepingTypes(event.headers(), headers),
				event.dataContentType(), event.payload());
	}

	private Event<?> decodeBinary(Map<String, String> headers, byte[] body) {
		Map<String, String> extensions = Map.of();
		for (Map.Entry<String, String> header : headers.entrySet()) {
			String name = header.getKey();
			if ((name.startsWith(BINARY_PREFIX) && !CORE_BINARY_HEADERS.contains(name))
					|| TRACE_CONTEXT_HEADERS.contains(name)) {
				if (extensions.isEmpty()) {
					extensions = new HashMap<>();
				}
				extensions.put(name.startsWith(BINARY_PREFIX) ? name.substring(BINARY_PREFIX.length()) : name,
						header.getValue());
			}
		}
		String id = headers.get(BINARY_PREFIX + "id");
		if (id == null) {
			throw new EventDecodingException("Binary-mode CloudEvent has no '" + BINARY_PREFIX + "id' header");
		}
		String type = headers.get(BINARY_PREFIX + "type");
		if (type == null) {
			throw new EventDecodingException(
					"Binary-mode CloudEvent '" + id + "' has no '" + BINARY_PREFIX + "type' header");
		}
		requireSpecVersion(headers.get(BINARY_PREFIX + "specversion"), id);
		String source = requireSource(headers.get(BINARY_PREFIX + "source"), id);
		String contentType = orDefault(headers.get(CONTENT_TYPE), Event.DATA_CONTENT_TYPE);
		Object data = binaryData(contentType, body);
		String time = headers.get(BINARY_PREFIX + "time");
		return new Event<>(id, type, source, parseTime(time), headers.get(BINARY_PREFIX + "subject"),
				headers.get(BINARY_PREFIX + CORRELATION_ID), headers.get(BINARY_PREFIX + CAUSATION_ID), extensions,
				contentType, data);
	}

	/**
	 * The data of a binary-mode message by its content type: JSON left as text to parse
	 * once per handler, {@code text/*} as a string, anything else as bytes.
	 */
	private static Object binaryData(String contentType, byte[] body) {
		if (Event.isJson(contentType)) {
			return (body.length == 0) ? NullNode.getInstance() : new JsonData(body);
		}
		return isText(contentType) ? new String(body, StandardCharsets.UTF_8) : body;
	}

	private static boolean isText(String contentType) {
		return contentType.trim().toLowerCase(Locale.ROOT).startsWith("text/");
	}

	/**
	 * The value of an extension attribute in structured JSON: an integer in the range of
	 * a CloudEvents Integer or a boolean keeps its type, anything else is its text.
	 */
	private static Object extensionValue(JsonNode value) {
		if (value.isIntegralNumber() && value.canConvertToInt()) {
			return value.intValue();
		}
		return value.isBoolean() ? value.booleanValue() : value.asString();
	}

	private Event<?> decodeStructured(JsonNode document) {
		Map<String, Object> extensions = new HashMap<>();
		for (Map.Entry<String, JsonNode> property : document.properties()) {
			if (!CORE_ATTRIBUTES.contains(property.getKey()) && property.getValue().isValueNode()) {
				extensions.put(property.getKey(), extensionValue(property.getValue()));
			}
		}
		String id = text(document, "id");
		if (id == null) {
			throw new EventDecodingException("CloudEvent has no 'id'");
		}
		requireSpecVersion(text(document, "specversion"), id);
		String source = requireSource(text(document, "source"), id);
		String contentType = orDefault(text(document, "datacontenttype"), Event.DATA_CONTENT_TYPE);
		return new Event<>(id, requireType(text(document, "type")), source, parseTime(text(document, "time")),
				text(document, "subject"), text(document, CORRELATION_ID), text(document, CAUSATION_ID),
				Extensions.of(extensions), contentType, structuredData(document, id, contentType));
	}

	/**
	 * The data of a structured event: {@code data_base64} as bytes (a string for
	 * {@code text/*}), {@code data} as a tree for JSON and as a string for other types.
	 */
	private static Object structuredData(JsonNode document, String id, String contentType) {
		JsonNode base64 = document.get("data_base64");
		if (base64 != null && !base64.isNull()) {
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(base64.asString());
			}
			catch (IllegalArgumentException ex) {
				throw new EventDecodingException(
						"CloudEvent '" + id + "' has 'data_base64' that is not Base64: " + ex.getMessage(), ex);
			}
			return isText(contentType) ? new String(bytes, StandardCharsets.UTF_8) : bytes;
		}
		JsonNode data = document.get("data");
		if (data == null) {
			return NullNode.getInstance();
		}
		if (!Event.isJson(contentType) && data.isString()) {
			return isText(contentType) ? data.asString() : data.asString().getBytes(StandardCharsets.UTF_8);
		}
		return data;
	}

	private Event<JsonNode> decodePlain(JsonNode document, String defaultSource, Supplier<String> defaultId,
			Map<String, String> headers) {
		PlainJsonMapping mapping = this.plainMapping;
		String id = text(document, mapping.idField());
		if (id == null) {
			id = defaultId.get();
		}
		JsonNode data = document;
		if (mapping.dataField() != null && document.has(mapping.dataField())) {
			data = document.get(mapping.dataField());
		}
		Instant time = parseTime(text(document, mapping.timeField()));
		return new Event<>(id, requireType(text(document, mapping.typeField())),
				orDefault(text(document, mapping.sourceField()), defaultSource),
				(time != null) ? time : brokerTime(headers.get(BROKER_TIME)), text(document, mapping.subjectField()),
				text(document, mapping.correlationIdField()), null, Map.of(), data);
	}

	/**
	 * The broker's timestamp of a message, as its adapter gave it.
	 * @param millis epoch milliseconds, or {@code null}
	 * @return the instant, or {@code null} when there is none or it is not a number
	 */
	private static @Nullable Instant brokerTime(@Nullable String millis) {
		if (millis == null) {
			return null;
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(millis.trim()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	JsonNode parse(byte[] body) {
		try {
			return this.objectMapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new EventDecodingException("Message body is not valid JSON: " + ex.getOriginalMessage()
					+ " (body starts with '" + preview(body) + "')", ex);
		}
	}

	private static void requireSpecVersion(@Nullable String specVersion, String id) {
		if (specVersion != null && !Event.SPEC_VERSION.equals(specVersion)) {
			throw new EventDecodingException("CloudEvent '" + id + "' has specversion '" + specVersion
					+ "': only CloudEvents " + Event.SPEC_VERSION + " is read");
		}
	}

	private static String requireSource(@Nullable String source, String id) {
		if (source == null || source.isEmpty()) {
			throw new EventDecodingException("CloudEvent '" + id + "' has no 'source', which CloudEvents 1.0 requires");
		}
		return source;
	}

	private static String requireType(@Nullable String type) {
		if (type == null || type.isBlank()) {
			throw new EventDecodingException("Message has no event type");
		}
		return type;
	}

	private static @Nullable Instant parseTime(@Nullable String time) {
		if (time == null || time.isBlank()) {
			return null;
		}
		try {
			return EventTimes.parse(time);
		}
		catch (DateTimeParseException ex) {
			try {
				return Instant.ofEpochMilli(Long.parseLong(time));
			}
			catch (NumberFormatException notNumber) {
				throw new EventDecodingException("Event time '" + time + "' is neither ISO-8601 nor epoch millis");
			}
		}
	}

	private static @Nullable String text(JsonNode document, String field) {
		JsonNode node = document.get(field);
		return (node != null && node.isValueNode() && !node.isNull()) ? node.asString() : null;
	}

	private static String orDefault(@Nullable String value, String defaultValue) {
		return (value != null) ? value : defaultValue;
	}

}
