package dev.eventbus.runtime;

import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.EventTypeRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Converts event data into what a handler parameter asks for. Decoded data arrives as a
 * {@link JsonNode}; in-process adapters hand over the published object, which is passed on
 * unchanged when it already fits. Typed data is only converted into a class the
 * {@link EventTypeRegistry} holds for the event's type. Thread safe.
 */
final class PayloadConverter {

	private final EventTypeRegistry registry;

	private final ObjectMapper objectMapper;

	PayloadConverter(EventTypeRegistry registry, ObjectMapper objectMapper) {
		this.registry = registry;
		this.objectMapper = objectMapper;
	}

	/**
	 * Convert the payload of an event.
	 * @param event the event, payload a tree or an object
	 * @param target the parameter's class
	 * @return the converted payload
	 * @throws EventDecodingException if no registered class fits or the data does not convert
	 */
	Object convert(Event<?> event, Class<?> target) {
		Object payload = event.payload();
		if (target == JsonNode.class) {
			return (payload instanceof JsonNode) ? payload : this.objectMapper.valueToTree(payload);
		}
		if (target == Object.class || target == Map.class) {
			return (payload instanceof JsonNode node) ? read(node, target, event.type()) : asMap(payload, target);
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
		if (payload instanceof JsonNode node) {
			return read(node, registered, event.type());
		}
		try {
			return this.objectMapper.convertValue(payload, registered);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new EventDecodingException("Data of event type '" + event.type() + "' does not convert into "
					+ registered.getName() + ": " + ex.getMessage(), ex);
		}
	}

	private Object asMap(Object payload, Class<?> target) {
		if (target == Object.class || payload instanceof Map) {
			return payload;
		}
		return this.objectMapper.convertValue(payload, Map.class);
	}

	private Object read(JsonNode node, Class<?> type, String eventType) {
		try {
			Object value = this.objectMapper.treeToValue(node, type);
			if (value == null) {
				throw new EventDecodingException("Event of type '" + eventType + "' has no data");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new EventDecodingException("Data of event type '" + eventType + "' does not convert into "
					+ type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

}
