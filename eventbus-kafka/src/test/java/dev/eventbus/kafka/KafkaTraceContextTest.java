package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.TraceContextConformance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Trace context across a real Kafka hop: the record header {@code traceparent}, read and
 * written with the plain Kafka clients.
 */
class KafkaTraceContextTest extends TraceContextConformance {

	private static @Nullable EmbeddedKafka broker;

	@BeforeAll
	static void startBroker() {
		broker = EmbeddedKafka.start();
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Override
	protected EventBusAdapter createAdapter() {
		return EmbeddedKafka.adapter(broker.bootstrapServers());
	}

	@Override
	protected List<String> readTraceparents(String destination, String eventId) {
		Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(destination));
			long deadline = System.nanoTime() + timeout().toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					Header id = record.headers().lastHeader("ce_id");
					if (id != null && eventId.equals(new String(id.value(), StandardCharsets.UTF_8))) {
						List<String> values = new ArrayList<>();
						record.headers()
							.headers("traceparent")
							.forEach((header) -> values.add(new String(header.value(), StandardCharsets.UTF_8)));
						return values;
					}
				}
			}
		}
		throw new AssertionError("No record of event " + eventId + " on " + destination);
	}

	@Override
	protected void sendForeign(String destination, String type, String traceparent) {
		Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(configs, new StringSerializer(),
				new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(destination, null,
					"{\"amount\":1}".getBytes(StandardCharsets.UTF_8));
			record.headers()
				.add("ce_specversion", bytes("1.0"))
				.add("ce_id", bytes(UUID.randomUUID().toString()))
				.add("ce_source", bytes("urn:foreign"))
				.add("ce_type", bytes(type))
				.add("content-type", bytes("application/json"))
				.add("traceparent", bytes(traceparent));
			producer.send(record).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
