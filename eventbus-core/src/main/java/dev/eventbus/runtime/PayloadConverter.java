package dev.eventbus.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonData;
import dev.eventbus.codec.JsonEventCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.NullNode;

/**
 * Converts event data into what a handler parameter asks for. Data arrives as
 * {@link JsonData} text (binary mode), parsed once straight into the parameter's class,
 * as a {@link JsonNode} (structured mode, plain JSON), or, from in-process adapters, as
 * the published object, passed on unchanged when it already fits. Typed data is only
 * converted into a class the {@link EventTypeRegistry} holds for the event's type. Thread
 * safe.
 */
final class PayloadConverter {

	private final EventTypeRegistry registry;

	private final ObjectMapper objectMapper;

	private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

	PayloadConverter(EventTypeRegistry registry, ObjectMapper objectMapper) {
		this.registry = registry;
		this.objectMapper = objectMapper;
	}

	/**
	 * Convert the payload of an event.
	 * @param event the event, payload a {@link JsonData}, a tree or an object
	 * @param target the parameter's class
	 * @return the converted payload
	 * @throws EventDecodingException if no registered class fits or the data does not
	 * convert
	 */
	Object convert(Event<?> event, Class<?> target) {
		Object payload = event.payload();
		if (!Event.isJson(event.dataContentType())) {
			return convertNonJson(event, payload, target);
		}
		if (target == String.class || target == byte[].class) {
			return jsonAsTextOrBytes(event, payload, target);
		}
		if (target == JsonNode.class) {
			return (payload instanceof JsonNode) ? payload : (payload instanceof JsonData data)
					? tree(data, event.type()) : this.objectMapper.valueToTree(payload);
		}
		if (target == Object.class || target == Map.class) {
			return (payload instanceof JsonNode || payload instanceof JsonData) ? read(payload, target, event.type())
					: asMap(payload, target);
		}
		Class<?> registered = this.registry.resolve(event.type(), target);
		if (registered == null) {
			throw new EventDecodingException("No class is registered for event type '" + event.type()
					+ "' that fits parameter type " + target.getName()
					+ ": annotate the payload class with @EventType(\"" + event.type() + "\")");
		}
		if (registered.isInstance(payload)) {
			return payload;
		}
		if (payload instanceof JsonNode || payload instanceof JsonData) {
			return read(payload, registered, event.type());
		}
		try {
			return this.objectMapper.convertValue(payload, registered);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new EventDecodingException("Data of event type '" + event.type() + "' does not convert into "
					+ registered.getName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Data of a type other than JSON, a {@code String} or {@code byte[]}: read as either,
	 * as text in UTF-8, or passed on as it is.
	 */
	private Object convertNonJson(Event<?> event, Object payload, Class<?> target) {
		if (target.isInstance(payload)) {
			return payload;
		}
		if (target == String.class && payload instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (target == byte[].class && payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		if (target == JsonNode.class) {
			return this.objectMapper.valueToTree(payload);
		}
		throw new EventDecodingException("Data of event type '" + event.type() + "' has content type '"
				+ event.dataContentType() + "': a handler reads it as String or byte[], not " + target.getName());
	}

	/**
	 * JSON data for a {@code String} or {@code byte[]} parameter: a JSON string as its
	 * value, any other JSON as its text.
	 */
	private Object jsonAsTextOrBytes(Event<?> event, Object payload, Class<?> target) {
		if (target.isInstance(payload)) {
			return payload;
		}
		JsonNode tree = (payload instanceof JsonNode node) ? node : (payload instanceof JsonData data)
				? tree(data, event.type()) : this.objectMapper.valueToTree(payload);
		String text = tree.isString() ? tree.asString() : this.objectMapper.writeValueAsString(tree);
		return (target == String.class) ? text : text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The data as a tree, for an event whose handler takes no payload but whose envelope
	 * is seen by interceptors and {@link dev.eventbus.api.EventContext}.
	 * @param event the event
	 * @return the event, {@link JsonData} replaced by a tree
	 */
	Event<?> parsed(Event<?> event) {
		return (event.payload() instanceof JsonData data) ? event.withPayload(tree(data, event.type())) : event;
	}

	private Object asMap(Object payload, Class<?> target) {
		if (target == Object.class || payload instanceof Map) {
			return payload;
		}
		return this.objectMapper.convertValue(payload, Map.class);
	}

	private JsonNode tree(JsonData data, String eventType) {
		JsonNode tree = (JsonNode) parse(data, JsonNode.class, eventType);
		return (tree != null) ? tree : NullNode.getInstance();
	}

	private Object read(Object data, Class<?> type, String eventType) {
		Object value = parse(data, type, eventType);
		if (value == null) {
			throw new EventDecodingException("Event of type '" + eventType + "' has no data");
		}
		return value;
	}

	private @Nullable Object parse(Object data, Class<?> type, String eventType) {
		try {
			return (data instanceof JsonData text) ? reader(type).readValue(text.bytes())
					: this.objectMapper.treeToValue((JsonNode) data, type);
		}
		catch (StreamReadException ex) {
			throw new EventDecodingException("Data of event type '" + eventType + "' is not valid JSON: "
					+ ex.getOriginalMessage() + " (data starts with '" + preview(data) + "')", ex);
		}
		catch (JacksonException ex) {
			throw new EventDecodingException("Data of event type '" + eventType + "' does not convert into "
					+ type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private ObjectReader reader(Class<?> type) {
		ObjectReader reader = this.readers.get(type);
		return (reader != null) ? reader : this.readers.computeIfAbsent(type, this.objectMapper::readerFor);
	}

	private static String preview(Object data) {
		return (data instanceof JsonData text) ? JsonEventCodec.preview(text.bytes()) : data.toString();
	}

}
