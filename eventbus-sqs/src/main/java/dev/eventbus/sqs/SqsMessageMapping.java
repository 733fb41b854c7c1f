package dev.eventbus.sqs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps messages to SQS send requests and received SQS messages back. The body is the
 * CloudEvents structured JSON document (or a raw body as given); transport headers become
 * string message attributes. SQS allows 10 attributes with non-empty values and
 * restricted names: when the headers and the key do not fit, all of them travel as one
 * JSON attribute, {@value #PACKED_HEADERS}. A body that is not valid SQS text is sent
 * Base64-encoded, marked by {@value #BODY_ENCODING}. A received message that may be plain
 * JSON gets the time SQS stored it as the header {@link JsonEventCodec#BROKER_TIME}: its
 * {@code SentTimestamp}, unless it carries that attribute, as copies from an ingress
 * queue do. Thread safe.
 */
final class SqsMessageMapping {

	/** Attribute carrying the message key (subject). */
	static final String KEY = "eventbus-key";

	/**
	 * Attribute carrying every header and the key as one JSON object when they do not fit
	 * one attribute each.
	 */
	static final String PACKED_HEADERS = "eventbus-headers";

	/** Attribute marking a Base64-encoded body. */
	static final String BODY_ENCODING = "eventbus-body-encoding";

	private static final int MAX_ATTRIBUTES = 10;

	private static final String GROUP_ID = MessageSystemAttributeName.MESSAGE_GROUP_ID.toString();

	private static final String RECEIVE_COUNT = MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString();

	private static final String SENT_TIMESTAMP = MessageSystemAttributeName.SENT_TIMESTAMP.toString();

	/** How every CloudEvent the bus writes begins. */
	private static final String STRUCTURED_START = "{\"specversion\"";

	private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

	private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
	};

	private final JsonMapper json = JsonMapper.builder().build();

	private final boolean fifo;

	SqsMessageMapping(boolean fifo) {
		this.fifo = fifo;
	}

	/**
	 * What a message is sent as, to any queue.
	 * @param message the message
	 * @return the body, attributes and FIFO ids
	 */
	Outgoing outgoing(OutboundMessage message) {
		EncodedMessage encoded = message.encoded(ContentMode.STRUCTURED);
		Map<String, String> headers = encoded.headers();
		if (message.key() != null && message.event() == null) {
			headers = new LinkedHashMap<>(headers);
			headers.put(KEY, message.key());
		}
		String text = text(encoded.body());
		Map<String, MessageAttributeValue> attributes = attributes(headers,
				(text != null) ? MAX_ATTRIBUTES : MAX_ATTRIBUTES - 1);
		if (text == null) {
			text = Base64.getEncoder().encodeToString(encoded.body());
			attributes.put(BODY_ENCODING, stringValue("base64"));
		}
		String groupId = null;
		String deduplicationId = null;
		if (this.fifo) {
			String key = message.key();
			groupId = fifoId((key != null) ? key : message.id());
			deduplicationId = (message.event() != null) ? fifoId(message.id()) : UUID.randomUUID().toString();
		}
		return new Outgoing(text, attributes.isEmpty() ? Map.of() : attributes, groupId, deduplicationId);
	}

	/**
	 * Transport headers of a received message as a delivery gives them: its attributes,
	 * the key and encoding attributes removed, and, when the body may be plain JSON, the
	 * time SQS stored the message as {@link JsonEventCodec#BROKER_TIME}, unless an
	 * attribute of that name carries it from elsewhere (an ingress queue, a dead letter's
	 * original).
	 * @param message the message, received with its {@code SentTimestamp}
	 * @param body the message's body, decoded
	 * @return the headers
	 */
	Map<String, String> headers(Message message, byte[] body) {
		Map<String, String> headers = headers(message);
		String sent = message.attributesAsStrings().get(SENT_TIMESTAMP);
		if (sent == null || headers.containsKey(JsonEventCodec.BROKER_TIME) || !mayBePlainJson(body)) {
			return headers;
		}
		Map<String, String> timed = new LinkedHashMap<>(headers);
		timed.put(JsonEventCodec.BROKER_TIME, sent);
		return timed;
	}

	/**
	 * Whether a body may be plain JSON, which takes its time from the broker: a JSON
	 * object, but not what the bus writes, CloudEvents structured JSON starting with
	 * {@code specversion}.
	 * @param body the body
	 * @return whether it may be
	 */
	static boolean mayBePlainJson(byte[] body) {
		int start = 0;
		while (start < body.length
				&& (body[start] == ' ' || body[start] == '\t' || body[start] == '\n' || body[start] == '\r')) {
			start++;
		}
		if (start == body.length || body[start] != '{') {
			return false;
		}
		if (body.length - start < STRUCTURED_START.length()) {
			return true;
		}
		for (int i = 0; i < STRUCTURED_START.length(); i++) {
			if (body[start + i] != STRUCTURED_START.charAt(i)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Transport headers of a received message, the key and encoding attributes removed.
	 * @param message the message
	 * @return the headers
	 */
	Map<String, String> headers(Message message) {
		Map<String, MessageAttributeValue> attributes = message.messageAttributes();
		if (attributes.isEmpty() || (attributes.size() == 1 && attributes.containsKey(KEY))) {
			return Map.of();
		}
		Map<String, String> headers = new LinkedHashMap<>();
		MessageAttributeValue packed = message.messageAttributes().get(PACKED_HEADERS);
		if (packed != null && packed.stringValue() != null) {
			headers.putAll(this.json.readValue(packed.stringValue(), STRING_MAP));
		}
		message.messageAttributes().forEach((name, value) -> {
			if (!name.equals(PACKED_HEADERS) && !name.equals(BODY_ENCODING) && value.stringValue() != null) {
				headers.put(name, value.stringValue());
			}
		});
		headers.remove(KEY);
		return headers;
	}

	/**
	 * The key a received message was sent with: its key attribute, else the subject of a
	 * CloudEvents structured body (events carry their key only there), else its
	 * MessageGroupId.
	 * @param message the message
	 * @param body the message's body, decoded
	 * @return the key, or {@code null}
	 */
	@Nullable String key(Message message, byte[] body) {
		MessageAttributeValue key = message.messageAttributes().get(KEY);
		if (key != null) {
			return key.stringValue();
		}
		MessageAttributeValue packed = message.messageAttributes().get(PACKED_HEADERS);
		if (packed != null && packed.stringValue() != null) {
			return this.json.readValue(packed.stringValue(), STRING_MAP).get(KEY);
		}
		String subject = structuredSubject(body);
		return (subject != null) ? subject : groupId(message);
	}

	private @Nullable String structuredSubject(byte[] body) {
		if (body.length == 0 || body[0] != '{') {
			return null;
		}
		try {
			JsonNode document = this.json.readTree(body);
			JsonNode subject = document.get("subject");
			return (document.has("specversion") && subject != null && subject.isString()) ? subject.asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The MessageGroupId of a message received from a FIFO queue.
	 * @param message the message
	 * @return the group, or {@code null}
	 */
	static @Nullable String groupId(Message message) {
		return message.attributesAsStrings().get(GROUP_ID);
	}

	/**
	 * The body of a received message, decoded when it was sent Base64-encoded.
	 * @param message the message
	 * @return the body
	 */
	byte[] body(Message message) {
		MessageAttributeValue encoding = message.messageAttributes().get(BODY_ENCODING);
		if (encoding != null && "base64".equals(encoding.stringValue())) {
			return Base64.getDecoder().decode(message.body());
		}
		return message.body().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Receive count of a message (1 on first delivery).
	 * @param message the message
	 * @return the count
	 */
	static int receiveCount(Message message) {
		String count = message.attributesAsStrings().get(RECEIVE_COUNT);
		try {
			return (count != null) ? Math.max(1, Integer.parseInt(count)) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	private Map<String, MessageAttributeValue> attributes(Map<String, String> headers, int room) {
		Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
		if (headers.isEmpty()) {
			return attributes;
		}
		boolean fits = headers.size() <= room && headers.entrySet()
			.stream()
			.allMatch((header) -> validName(header.getKey()) && !header.getValue().isEmpty());
		if (fits) {
			headers.forEach((name, value) -> attributes.put(name, stringValue(value)));
		}
		else {
			attributes.put(PACKED_HEADERS, stringValue(this.json.writeValueAsString(headers)));
		}
		return attributes;
	}

	private static boolean validName(String name) {
		String lower = name.toLowerCase(java.util.Locale.ROOT);
		return ATTRIBUTE_NAME.matcher(name).matches() && !lower.startsWith("aws.") && !lower.startsWith("amazon.")
				&& !name.startsWith(".") && !name.endsWith(".") && !name.contains("..") && !name.equals(PACKED_HEADERS)
				&& !name.equals(BODY_ENCODING);
	}

	private static MessageAttributeValue stringValue(String value) {
		return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
	}

	private static String fifoId(String value) {
		return FIFO_ID.matcher(value).matches() ? value
				: SqsQueueNames.hash(value) + "-" + UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8));
	}

	private static @Nullable String text(byte[] body) {
		if (isPlainAscii(body)) {
			return new String(body, StandardCharsets.US_ASCII);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || Character.isSurrogate(c)
					|| (c >= 0xE000 && c <= 0xFFFD);
			if (!allowed) {
				return null;
			}
		}
		return text.isEmpty() ? null : text;
	}

	/**
	 * Whether a body is non-empty printable ASCII with tabs and line breaks, which is
	 * always valid SQS text.
	 * @param body the body
	 * @return whether it is
	 */
	private static boolean isPlainAscii(byte[] body) {
		if (body.length == 0) {
			return false;
		}
		for (byte b : body) {
			if ((b < 0x20 || b > 0x7E) && b != 0x9 && b != 0xA && b != 0xD) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A message as sent: body, string attributes and, on FIFO queues, its group and
	 * deduplication ids.
	 *
	 * @param body the body
	 * @param attributes the message attributes, possibly empty
	 * @param groupId the MessageGroupId, {@code null} on standard queues
	 * @param deduplicationId the MessageDeduplicationId, {@code null} on standard queues
	 */
	record Outgoing(String body, Map<String, MessageAttributeValue> attributes, @Nullable String groupId,
			@Nullable String deduplicationId) {

		/**
		 * The entry of a {@code SendMessageBatch} request.
		 * @param id the entry's id in its request
		 * @return the entry
		 */
		SendMessageBatchRequestEntry entry(String id) {
			SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
				.id(id)
				.messageBody(this.body);
			if (!this.attributes.isEmpty()) {
				entry.messageAttributes(this.attributes);
			}
			if (this.groupId != null) {
				entry.messageGroupId(this.groupId).messageDeduplicationId(this.deduplicationId);
			}
			return entry.build();
		}

		/**
		 * What the message counts against the payload limit of a batch request: its body
		 * and its attributes' names, types and values, in UTF-8 bytes.
		 * @return the bytes
		 */
		int bytes() {
			int bytes = utf8Length(this.body);
			for (Map.Entry<String, MessageAttributeValue> attribute : this.attributes.entrySet()) {
				MessageAttributeValue value = attribute.getValue();
				bytes += utf8Length(attribute.getKey()) + utf8Length(value.dataType())
						+ ((value.stringValue() != null) ? utf8Length(value.stringValue()) : 0);
			}
			return bytes;
		}

		private static int utf8Length(String text) {
			int length = text.length();
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c >= 0x800) {
					length += Character.isSurrogate(c) ? 1 : 2;
				}
				else if (c >= 0x80) {
					length++;
				}
			}
			return length;
		}

	}

}
