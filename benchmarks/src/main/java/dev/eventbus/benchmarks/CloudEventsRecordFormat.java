package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.eventbus.api.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code raw-kafka-cloudevents} baseline's records: what a hand-written kafka-clients
 * service following the CloudEvents Kafka binary binding must write and read, with the
 * headers the bus writes for the same {@link Sample}: {@code ce_specversion},
 * {@code ce_id} (a random UUID), {@code ce_source}, {@code ce_type}, {@code ce_time}
 * ({@link Instant#toString()}), {@code ce_subject} (the key), {@code ce_correlationid}
 * (the id, as the bus sets it for an event published outside a handler) and
 * {@code content-type}; the value is the {@link Sample} as JSON, written by a Jackson
 * {@link ObjectWriter}. The consumer reads every header, checks the spec version, type
 * and content type, and reads the value into a {@link Sample} with an
 * {@link ObjectReader}; it keeps the time as text (parsing it with {@link Instant#parse}
 * would cost more than the bus's own parser). Both use a default {@link JsonMapper}, as
 * the bus does.
 */
final class CloudEventsRecordFormat implements RawKafkaTarget.RecordFormat {

	/** The source the bus writes for the benchmark's handler group. */
	static final String SOURCE = "urn:eventbus:bench";

	private static final String TYPE = Sample.class.getAnnotation(EventType.class).value();

	private static final byte[] SPEC_VERSION = utf8("1.0");

	private static final byte[] SOURCE_BYTES = utf8(SOURCE);

	private static final byte[] TYPE_BYTES = utf8(TYPE);

	private static final byte[] JSON = utf8("application/json");

	private final ObjectWriter writer;

	private final ObjectReader reader;

	CloudEventsRecordFormat() {
		ObjectMapper mapper = JsonMapper.builder().build();
		this.writer = mapper.writerFor(Sample.class);
		this.reader = mapper.readerFor(Sample.class);
	}

	@Override
	public ProducerRecord<String, byte[]> record(String topic, int sequence, long sentNanos) {
		String key = Payloads.key(sequence);
		byte[] id = utf8(newId());
		Headers headers = new RecordHeaders();
		headers.add("ce_specversion", SPEC_VERSION);
		headers.add("ce_id", id);
		headers.add("ce_source", SOURCE_BYTES);
		headers.add("ce_type", TYPE_BYTES);
		headers.add("ce_time", utf8(Instant.now().toString()));
		headers.add("ce_subject", utf8(key));
		headers.add("ce_correlationid", id);
		headers.add("content-type", JSON);
		byte[] value = this.writer.writeValueAsBytes(Payloads.sample(sequence, sentNanos));
		return new ProducerRecord<>(topic, null, key, value, headers);
	}

	@Override
	public long sentNanos(ConsumerRecord<String, byte[]> record) {
		Headers headers = record.headers();
		String specVersion = text(headers, "ce_specversion");
		String id = text(headers, "ce_id");
		String type = text(headers, "ce_type");
		String source = text(headers, "ce_source");
		String time = text(headers, "ce_time");
		String subject = text(headers, "ce_subject");
		String correlationId = text(headers, "ce_correlationid");
		String contentType = text(headers, "content-type");
		if (!"1.0".equals(specVersion) || id == null || !TYPE.equals(type) || source == null || time == null
				|| !"application/json".equals(contentType)) {
			throw new IllegalStateException("not a " + TYPE + " CloudEvent: " + record);
		}
		Envelope envelope = new Envelope(id, source, time, subject, correlationId,
				this.reader.readValue(record.value()));
		return envelope.data().sentNanos();
	}

	private static @Nullable String text(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID((random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L,
				(random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
			.toString();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What the hand-written consumer hands its handler.
	 */
	private record Envelope(String id, String source, String time, @Nullable String subject,
			@Nullable String correlationId, Sample data) {
	}

}
