package dev.eventbus.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * How a message is laid out as the fields of a stream entry, so that
 * {@code redis-cli XRANGE} is readable: {@code id}, {@code type} (events only),
 * {@code subject} (when keyed), {@code event} (the CloudEvents structured JSON, or the
 * raw body) and one {@code h:<name>} field per transport header ({@code h:traceparent}
 * among them). Plain {@code traceparent} and {@code tracestate} fields, as another
 * producer may write them, are read as those headers too. An entry without an
 * {@code event} field was not written by the bus: all its fields become headers and its
 * body is empty, so the runtime dead-letters it with every field kept. Stateless.
 */
final class StreamEntryLayout {

	static final String ID = "id";

	static final String TYPE = "type";

	static final String SUBJECT = "subject";

	static final String EVENT = "event";

	static final String HEADER_PREFIX = "h:";

	private static final byte[] ID_FIELD = bytes(ID);

	private static final byte[] TYPE_FIELD = bytes(TYPE);

	private static final byte[] SUBJECT_FIELD = bytes(SUBJECT);

	private static final byte[] EVENT_FIELD = bytes(EVENT);

	private StreamEntryLayout() {
	}

	/**
	 * The fields of a message, in structured content mode.
	 * @param message the message
	 * @return the fields, in a readable order
	 */
	static Map<byte[], byte[]> fields(OutboundMessage message) {
		EncodedMessage encoded = message.encoded(ContentMode.STRUCTURED);
		Map<byte[], byte[]> fields = new LinkedHashMap<>();
		fields.put(ID_FIELD, bytes(message.id()));
		Event<?> event = message.event();
		if (event != null) {
			fields.put(TYPE_FIELD, bytes(event.type()));
		}
		String key = message.key();
		if (key != null) {
			fields.put(SUBJECT_FIELD, bytes(key));
		}
		fields.put(EVENT_FIELD, encoded.body());
		encoded.headers().forEach((name, value) -> fields.put(bytes(HEADER_PREFIX + name), bytes(value)));
		return fields;
	}

	/**
	 * Read the fields of an entry.
	 * @param fields the fields
	 * @return key, headers and body
	 */
	static Entry read(Map<byte[], byte[]> fields) {
		Map<String, String> headers = new LinkedHashMap<>();
		byte[] body = null;
		String key = null;
		Map<String, String> all = new LinkedHashMap<>();
		for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
			String name = string(field.getKey());
			if (EVENT.equals(name)) {
				body = field.getValue();
				continue;
			}
			String value = string(field.getValue());
			all.put(name, value);
			if (name.startsWith(HEADER_PREFIX)) {
				headers.put(name.substring(HEADER_PREFIX.length()), value);
			}
			else if (JsonEventCodec.TRACE_CONTEXT_HEADERS.contains(name)) {
				headers.putIfAbsent(name, value);
			}
			else if (SUBJECT.equals(name)) {
				key = value;
			}
		}
		if (body == null) {
			return new Entry(null, all, new byte[0]);
		}
		return new Entry(key, headers, body);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	/**
	 * A message read from an entry.
	 *
	 * @param key the subject, or {@code null}
	 * @param headers the transport headers
	 * @param body the body
	 */
	record Entry(@Nullable String key, Map<String, String> headers, byte[] body) {

	}

}
