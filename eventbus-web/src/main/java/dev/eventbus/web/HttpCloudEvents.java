package dev.eventbus.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.JsonData;
import dev.eventbus.codec.JsonEventCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/**
 * Reads the events of an HTTP request by the CloudEvents HTTP binding: binary mode
 * ({@code ce-*} headers, the body is the data), structured mode
 * ({@code application/cloudevents+json}), batch mode
 * ({@code application/cloudevents-batch+json}, every entry read before any is used), and
 * plain JSON ({@code application/json}) through the codec's field mapping. JSON data is
 * parsed, so data that is not JSON is refused here and not at a handler. Thread safe.
 */
public final class HttpCloudEvents {

	/** Media type of one structured CloudEvent. */
	public static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");

	/** Media type of a batch of structured CloudEvents. */
	public static final MediaType BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");

	private static final String BINARY_HEADER_PREFIX = "ce-";

	private static final List<String> REQUIRED_BINARY_HEADERS = List.of("ce-specversion", "ce-id", "ce-source",
			"ce-type");

	private static final String INVALID = "Invalid CloudEvent";

	private final JsonEventCodec codec;

	/**
	 * Create a reader.
	 * @param codec the bus's codec, with its plain JSON field mapping
	 */
	public HttpCloudEvents(JsonEventCodec codec) {
		this.codec = codec;
	}

	/**
	 * Read the events of a request.
	 * @param headers the request headers
	 * @param body the request body
	 * @param plainSource source of plain JSON without one
	 * @param plainId id of plain JSON without one
	 * @return the events, in request order; JSON data as a {@link JsonNode}
	 * @throws IngestionProblem 415 for a media type the binding does not define, 400
	 * naming what is wrong with an event
	 */
	public List<Event<?>> read(HttpHeaders headers, byte[] body, String plainSource, Supplier<String> plainId) {
		MediaType contentType = contentType(headers);
		Map<String, String> trace = traceContext(headers);
		if (REQUIRED_BINARY_HEADERS.stream().anyMatch(headers::containsHeader)) {
			return List.of(decode(binaryHeaders(headers, contentType), body, plainSource, plainId));
		}
		if (BATCH.isCompatibleWith(contentType)) {
			return batch(body, trace, plainSource, plainId);
		}
		if (STRUCTURED.isCompatibleWith(contentType)) {
			return List.of(structured(parse(body), trace, plainSource, plainId));
		}
		if (MediaType.APPLICATION_JSON.isCompatibleWith(contentType) || contentType.getSubtype().endsWith("+json")) {
			return List.of(decode(trace, body, plainSource, plainId));
		}
		throw unsupported("Content type '" + contentType + "' is none of the CloudEvents HTTP binding: "
				+ "application/cloudevents+json, application/cloudevents-batch+json, binary mode (ce-* headers) "
				+ "or plain application/json");
	}

	private List<Event<?>> batch(byte[] body, Map<String, String> trace, String plainSource, Supplier<String> plainId) {
		JsonNode entries = parse(body);
		if (!entries.isArray()) {
			throw invalid("A CloudEvents batch is a JSON array of structured CloudEvents");
		}
		List<Event<?>> events = new ArrayList<>(entries.size());
		for (int index = 0; index < entries.size(); index++) {
			try {
				events.add(structured(entries.get(index), trace, plainSource, plainId));
			}
			catch (IngestionProblem ex) {
				throw ex.atIndex(index);
			}
		}
		if (events.isEmpty()) {
			throw invalid("The batch is empty");
		}
		return events;
	}

	private Event<?> structured(JsonNode document, Map<String, String> trace, String plainSource,
			Supplier<String> plainId) {
		if (!document.isObject() || !document.has("specversion")) {
			throw invalid("A structured CloudEvent is a JSON object with 'specversion'");
		}
		byte[] bytes = this.codec.objectMapper().writeValueAsBytes(document);
		return decode(trace, bytes, plainSource, plainId);
	}

	private Event<?> decode(Map<String, String> headers, byte[] body, String plainSource, Supplier<String> plainId) {
		Event<?> event;
		try {
			event = this.codec.decodeEnvelope(headers, body, plainSource, plainId);
		}
		catch (EventDecodingException ex) {
			throw invalid(ex.getMessage());
		}
		if (event.payload() instanceof JsonData data) {
			return event.withPayload(parse(data.bytes()));
		}
		return event;
	}

	/**
	 * The binary-mode headers as the codec reads them: {@code ce-*} as {@code ce_*},
	 * percent-decoded as the binding requires, and the content type.
	 */
	private static Map<String, String> binaryHeaders(HttpHeaders headers, MediaType contentType) {
		for (String required : REQUIRED_BINARY_HEADERS) {
			if (!headers.containsHeader(required)) {
				throw invalid("Binary-mode CloudEvent has no '" + required + "' header");
			}
		}
		Map<String, String> result = new LinkedHashMap<>(traceContext(headers));
		headers.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.startsWith(BINARY_HEADER_PREFIX) && !values.isEmpty()) {
				result.put(JsonEventCodec.BINARY_PREFIX + lower.substring(BINARY_HEADER_PREFIX.length()),
						UriUtils.decode(values.get(0), StandardCharsets.UTF_8));
			}
		});
		result.put(JsonEventCodec.CONTENT_TYPE, contentType.toString());
		return result;
	}

	private static Map<String, String> traceContext(HttpHeaders headers) {
		Map<String, String> trace = new LinkedHashMap<>();
		for (String name : List.of(JsonEventCodec.TRACEPARENT, JsonEventCodec.TRACESTATE)) {
			String value = headers.getFirst(name);
			if (value != null) {
				trace.put(name, value);
			}
		}
		return trace;
	}

	private static MediaType contentType(HttpHeaders headers) {
		try {
			MediaType contentType = headers.getContentType();
			if (contentType == null) {
				throw unsupported("The request has no Content-Type");
			}
			return contentType;
		}
		catch (IllegalArgumentException ex) {
			throw unsupported("Content-Type is not a media type: " + ex.getMessage());
		}
	}

	private JsonNode parse(byte[] json) {
		try {
			return this.codec.objectMapper().readTree(json);
		}
		catch (JacksonException ex) {
			throw invalid("The body is not JSON: " + ex.getOriginalMessage());
		}
	}

	private static IngestionProblem invalid(@Nullable String detail) {
		return new IngestionProblem(HttpStatus.BAD_REQUEST, INVALID, String.valueOf(detail));
	}

	private static IngestionProblem unsupported(String detail) {
		return new IngestionProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", detail);
	}

}
