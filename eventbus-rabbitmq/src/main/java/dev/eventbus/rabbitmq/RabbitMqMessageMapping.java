package dev.eventbus.rabbitmq;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannel;

/**
 * Maps messages to AMQP messages and back. The body is the CloudEvents structured JSON
 * document of an event ({@code application/cloudevents+json}), or a raw message's body as
 * given; transport headers ({@code traceparent} and {@code tracestate}, or every header
 * of a raw message) are AMQP headers, and the key travels in the header {@value #KEY}.
 * Messages are persistent, their AMQP {@code message-id} is the event id (or the raw
 * message's id) and their routing key the event type.
 * <p>
 * A raw message's routing key is its type as far as it can be read: its {@code ce_type}
 * header, else the {@code type} of a JSON body, else the empty key (see
 * {@link BindingKeys#UNTYPED}). Received messages in the binary mode of the CloudEvents
 * AMQP binding ({@code cloudEvents:} or {@code cloudEvents_} headers) are read as the
 * codec's binary mode. Thread safe.
 */
final class RabbitMqMessageMapping {

	/** Header carrying the message key (subject). */
	static final String KEY = "eventbus-key";

	/** Content type of CloudEvents structured mode. */
	static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

	/** Header a quorum queue counts returns in. */
	static final String DELIVERY_COUNT = "x-delivery-count";

	/** Headers of the broker and of Spring AMQP that are no transport headers of ours. */
	private static final Set<String> INTERNAL_HEADERS = Set.of(KEY, DELIVERY_COUNT, "x-death", "x-first-death-exchange",
			"x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
			"x-last-death-reason", PublisherCallbackChannel.RETURN_LISTENER_CORRELATION_KEY,
			PublisherCallbackChannel.RETURNED_MESSAGE_CORRELATION_KEY);

	/** Attribute prefixes of the CloudEvents AMQP binding's binary mode. */
	private static final String[] AMQP_BINDING_PREFIXES = { "cloudEvents:", "cloudEvents_" };

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * What a message is published as.
	 * @param message the message
	 * @return the AMQP message and its routing key
	 */
	Outgoing outgoing(OutboundMessage message) {
		EncodedMessage encoded = message.encoded(ContentMode.STRUCTURED);
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setMessageId(message.id());
		encoded.headers().forEach(properties::setHeader);
		if (message.key() != null) {
			properties.setHeader(KEY, message.key());
		}
		Event<?> event = message.event();
		String routingKey;
		if (event != null) {
			routingKey = event.type();
			properties.setContentType(STRUCTURED_CONTENT_TYPE);
			properties.setType(event.type());
		}
		else {
			routingKey = rawType(encoded);
		}
		return new Outgoing(new Message(encoded.body(), properties), routingKey);
	}

	private String rawType(EncodedMessage encoded) {
		String type = encoded.headers().get(JsonEventCodec.BINARY_PREFIX + "type");
		if (type != null) {
			return type;
		}
		String documentType = text(document(encoded.body()), "type");
		return (documentType != null) ? documentType : BindingKeys.UNTYPED;
	}

	/**
	 * The transport headers of a received message: its AMQP headers as text, without the
	 * key and the headers of the broker and Spring AMQP; CloudEvents AMQP binary-mode
	 * attributes renamed to the codec's {@code ce_} headers, with the content type.
	 * @param properties the message's properties
	 * @return the headers
	 */
	Map<String, String> headers(MessageProperties properties) {
		Map<String, String> headers = new LinkedHashMap<>();
		boolean binaryMode = false;
		for (Map.Entry<String, @Nullable Object> header : properties.getHeaders().entrySet()) {
			String name = header.getKey();
			Object value = header.getValue();
			if (INTERNAL_HEADERS.contains(name) || !isText(value)) {
				continue;
			}
			String attribute = bindingAttribute(name);
			if (attribute != null) {
				binaryMode = true;
				headers.put(JsonEventCodec.BINARY_PREFIX + attribute, String.valueOf(value));
			}
			else {
				headers.put(name, String.valueOf(value));
			}
		}
		if (binaryMode && properties.getContentType() != null) {
			headers.putIfAbsent(JsonEventCodec.CONTENT_TYPE, properties.getContentType());
		}
		return headers;
	}

	private static @Nullable String bindingAttribute(String name) {
		for (String prefix : AMQP_BINDING_PREFIXES) {
			if (name.startsWith(prefix) && name.length() > prefix.length()) {
				return name.substring(prefix.length());
			}
		}
		return null;
	}

	private static boolean isText(@Nullable Object value) {
		return value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
	}

	/**
	 * The key a received message was sent with: its key header, else the subject of a
	 * CloudEvent (binary-mode header, or structured body) as a foreign producer writes
	 * it.
	 * @param properties the message's properties
	 * @param headers the message's transport headers
	 * @param body the message's body
	 * @return the key, or {@code null}
	 */
	@Nullable String key(MessageProperties properties, Map<String, String> headers, byte[] body) {
		Object key = properties.getHeaders().get(KEY);
		if (key != null) {
			return String.valueOf(key);
		}
		String subject = headers.get(JsonEventCodec.BINARY_PREFIX + "subject");
		if (subject != null) {
			return subject;
		}
		JsonNode document = document(body);
		return (text(document, "specversion") != null) ? text(document, "subject") : null;
	}

	/**
	 * The id of a received message: its AMQP {@code message-id}, else one derived from
	 * its body.
	 * @param properties the message's properties
	 * @param body the message's body
	 * @return the id
	 */
	static String messageId(MessageProperties properties, byte[] body) {
		String id = properties.getMessageId();
		return (id != null) ? id : UUID.nameUUIDFromBytes(body).toString();
	}

	/**
	 * How many times the group's queue had given the message out before, as a quorum
	 * queue counts it ({@value #DELIVERY_COUNT}: returns by consumers that closed, died
	 * or rejected it).
	 * @param properties the message's properties
	 * @return the count, 0 for a first delivery
	 */
	static int returns(MessageProperties properties) {
		Object count = properties.getHeaders().get(DELIVERY_COUNT);
		return (count instanceof Number number) ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, number.longValue()))
				: 0;
	}

	/**
	 * The JSON object a body holds, read only for raw and foreign messages.
	 */
	private @Nullable JsonNode document(byte[] body) {
		if (body.length == 0 || body[0] != '{') {
			return null;
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String text(@Nullable JsonNode document, String field) {
		JsonNode value = (document != null) ? document.get(field) : null;
		return (value != null && value.isString()) ? value.asString() : null;
	}

	/**
	 * A message as published.
	 *
	 * @param message the AMQP message
	 * @param routingKey its routing key
	 */
	record Outgoing(Message message, String routingKey) {
	}

}
