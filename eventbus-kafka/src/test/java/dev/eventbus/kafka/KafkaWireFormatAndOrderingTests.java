package dev.eventbus.kafka;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Kafka adapter writes on the wire (CloudEvents binary mode, key = subject),
 * that it reads structured mode too, and that a retried record keeps its place in its
 * partition. The official CloudEvents SDK's Kafka serializer and deserializer act as a
 * foreign producer and consumer: what the bus writes is a valid CloudEvent for the SDK,
 * and what the SDK writes, in binary and structured mode, reaches the bus's handlers with
 * its data, content type and extensions.
 */
class KafkaWireFormatAndOrderingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static @Nullable EmbeddedKafka broker;

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

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

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void eventIsWrittenInCloudEventsBinaryModeKeyedBySubject() {
		String topic = "wire-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Event<Map<String, Object>> event = new Event<>(UUID.randomUUID().toString(), "order.created", "urn:shop",
				Instant.parse("2026-11-22T10:15:30Z"), "order-42", "correlation-1", "causation-1",
				Map.of("tenant", "acme"), Map.of("amount", 12));
		SendResult result = adapter.send(OutboundMessage.ofEvent(topic, event, this.codec)).join();
		ConsumerRecord<String, byte[]> record = readOne(topic, result.position());
		assertThat(record.key()).isEqualTo("order-42");
		assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":12}");
		assertThat(KafkaDelivery.headers(record)).containsEntry("ce_specversion", "1.0")
			.containsEntry("ce_id", event.id())
			.containsEntry("ce_type", "order.created")
			.containsEntry("ce_source", "urn:shop")
			.containsEntry("ce_time", "2026-11-22T10:15:30Z")
			.containsEntry("ce_subject", "order-42")
			.containsEntry("ce_correlationid", "correlation-1")
			.containsEntry("ce_causationid", "causation-1")
			.containsEntry("ce_tenant", "acme")
			.containsEntry("content-type", "application/json");
	}

	@Test
	void structuredModeRecordsAreReadToo() {
		String topic = "structured-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		EventRecorder received = new EventRecorder();
		Subscription subscription = subscribe(adapter, topic, (delivery) -> {
			received.record(this.codec.decode(delivery.headers(), delivery.body(), "test"));
			delivery.ack();
		});
		String structured = "{\"specversion\":\"1.0\",\"id\":\"structured-1\",\"source\":\"urn:other\","
				+ "\"type\":\"order.shipped\",\"subject\":\"order-7\",\"time\":\"2026-11-22T10:15:30Z\","
				+ "\"datacontenttype\":\"application/json\",\"data\":{\"carrier\":\"dhl\"}}";
		adapter.send(OutboundMessage.raw(topic, "order-7", "structured-1",
				Map.of("content-type", "application/cloudevents+json"), structured.getBytes(StandardCharsets.UTF_8)))
			.join();
		received.awaitIds(List.of("structured-1"), WAIT);
		Event<?> event = received.events().get(0);
		assertThat(event.type()).isEqualTo("order.shipped");
		assertThat(event.subject()).isEqualTo("order-7");
		assertThat(event.source()).isEqualTo("urn:other");
		assertThat(event.payload()).hasToString("{\"carrier\":\"dhl\"}");
		assertThat(subscription.state()).isEqualTo(SubscriptionState.RUNNING);
	}

	@Test
	void retriedRecordKeepsItsPlaceAheadOfLaterRecordsOfItsSubject() {
		String topic = "retry-order-" + this.suffix;
		KafkaEventBusAdapter adapter = adapter();
		Map<String, Integer> deliveries = new ConcurrentHashMap<>();
		Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
		EventRecorder recorder = new EventRecorder();
		subscribe(adapter, topic, (delivery) -> {
			Event<?> event = this.codec.decode(delivery.headers(), delivery.body(), "test");
			int sequence = this.codec.objectMapper().valueToTree(event.payload()).get("sequence").asInt();
			int delivered = deliveries.merge(event.id(), 1, Integer::sum);
			if (sequence % 4 == 1 && delivered < 3) {
				delivery.retry(Duration.ofMillis(20));
				return;
			}
			handled.computeIfAbsent(event.subject(), (key) -> new CopyOnWriteArrayList<>()).add(sequence);
			recorder.record(event);
			delivery.ack();
		});
		List<String> ids = new ArrayList<>();
		Map<String, List<Integer>> sent = new HashMap<>();
		for (int i = 0; i < 40; i++) {
			String subject = "subject-" + (i % 4);
			Event<Map<String, Object>> event = new Event<>(UUID.randomUUID().toString(), "test.sequenced", "urn:test",
					Instant.now(), subject, null, null, Map.of(), Map.of("sequence", i));
			adapter.send(OutboundMessage.ofEvent(topic, event, this.codec)).join();
			ids.add(event.id());
			sent.computeIfAbsent(subject, (key) -> new ArrayList<>()).add(i);
		}
		recorder.awaitIds(ids, WAIT);
		assertThat(handled).as("handled order per subject, retried records included").isEqualTo(sent);
	}

	private KafkaEventBusAdapter adapter() {
		KafkaEventBusAdapter adapter = broker.adapter();
		this.closeables.add(adapter);
		return adapter;
	}

	private Subscription subscribe(KafkaEventBusAdapter adapter, String topic,
			dev.eventbus.spi.DeliveryListener listener) {
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(topic, topic + "-group", topic, 4, 3),
				listener);
		this.closeables.add(() -> subscription.close(Duration.ofSeconds(1)));
		Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
				() -> "subscription is " + subscription.state());
		return subscription;
	}

	private ConsumerRecord<String, byte[]> readOne(String topic, @Nullable String position) {
		String[] parts = String.valueOf(position).split("@");
		TopicPartition partition = new TopicPartition(topic, Integer.parseInt(parts[0]));
		Map<String, Object> properties = new HashMap<>(EmbeddedKafka.consumerConfigs(broker.bootstrapServers()));
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seek(partition, Long.parseLong(parts[1]));
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			Awaits.await(WAIT, () -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return !records.isEmpty();
			}, "record at " + position + " not read");
			return records.get(0);
		}
	}

	@Test
	void whatTheBusWritesIsReadByTheSdksKafkaDeserializer() {
		String topic = "sdk-read-" + this.suffix;
		EventBus bus = bus(topic, new Object());
		String id = bus.publisher()
			.publish(EventMessage.of("order.created", Map.of("amount", 42))
				.subject("order-1")
				.header("channel", "web")
				.build())
			.eventId();
		CloudEvent read = readWithSdk(topic, id);
		assertThat(read.getType()).isEqualTo("order.created");
		assertThat(read.getSubject()).isEqualTo("order-1");
		assertThat(read.getDataContentType()).isEqualTo("application/json");
		assertThat(read.getExtension("channel")).isEqualTo("web");
		assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");
	}

	@Test
	void textWrittenByTheSdkInBinaryModeReachesAStringHandler() throws Exception {
		String topic = "sdk-binary-" + this.suffix;
		SdkHandlers handlers = new SdkHandlers();
		bus(topic, handlers);
		CloudEvent note = CloudEventBuilder.v1()
			.withId("note-1")
			.withSource(URI.create("urn:sdk"))
			.withType("note.added")
			.withExtension("channel", "mobile")
			.withExtension("priority", 5)
			.withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8))
			.build();
		sendWithSdk(topic, note, Encoding.BINARY);
		Awaits.await(WAIT, () -> handlers.notes.size() == 1, "text event not handled");
		Event<String> received = handlers.notes.get(0);
		assertThat(received.payload()).isEqualTo("hello");
		assertThat(received.dataContentType()).isEqualTo("text/plain");
		assertThat(received.time()).isNull();
		assertThat(received.header("channel")).isEqualTo("mobile");
		assertThat(received.extension("priority")).as("binary mode carries extensions as text").isEqualTo("5");
	}

	@Test
	void bytesWrittenByTheSdkInStructuredModeReachAByteArrayHandler() throws Exception {
		String topic = "sdk-structured-" + this.suffix;
		SdkHandlers handlers = new SdkHandlers();
		bus(topic, handlers);
		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 };
		CloudEvent uploaded = CloudEventBuilder.v1()
			.withId("image-1")
			.withSource(URI.create("urn:sdk"))
			.withType("image.uploaded")
			.withExtension("priority", 5)
			.withExtension("urgent", true)
			.withData("image/png", image)
			.build();
		sendWithSdk(topic, uploaded, Encoding.STRUCTURED);
		Awaits.await(WAIT, () -> handlers.images.size() == 1, "binary event not handled");
		assertThat(handlers.images.get(0).payload()).isEqualTo(image);
		assertThat(handlers.images.get(0).dataContentType()).isEqualTo("image/png");
		assertThat(handlers.images.get(0).extension("priority")).isEqualTo(5);
		assertThat(handlers.images.get(0).extension("urgent")).isEqualTo(true);
	}

	private EventBus bus(String topic, Object handlers) {
		EventBus bus = EmbeddedKafka.startBus(adapter(), "sdk-" + this.suffix, topic, handlers, WAIT);
		this.closeables.add(bus);
		return bus;
	}

	private void sendWithSdk(String topic, CloudEvent event, Encoding encoding) throws Exception {
		Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				CloudEventSerializer.ENCODING_CONFIG, encoding, CloudEventSerializer.EVENT_FORMAT_CONFIG,
				JsonFormat.CONTENT_TYPE);
		// a serializer given as an instance is not configured by the producer
		CloudEventSerializer serializer = new CloudEventSerializer();
		serializer.configure(configs, false);
		try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(configs, new StringSerializer(),
				serializer)) {
			producer.send(new ProducerRecord<>(topic, event)).get(10, TimeUnit.SECONDS);
		}
	}

	private CloudEvent readWithSdk(String topic, String id) {
		Map<String, Object> configs = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "sdk-reader-" + this.suffix, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest");
		try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(configs, new StringDeserializer(),
				new CloudEventDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(200))) {
					if (id.equals(record.value().getId())) {
						return record.value();
					}
				}
			}
		}
		throw new AssertionError("The SDK read no event " + id + " from " + topic);
	}

	static final class SdkHandlers {

		final List<Event<String>> notes = new CopyOnWriteArrayList<>();

		final List<Event<byte[]>> images = new CopyOnWriteArrayList<>();

		@EventHandler(types = "note.added")
		void note(Event<String> event) {
			this.notes.add(event);
		}

		@EventHandler(types = "image.uploaded")
		void image(Event<byte[]> event) {
			this.images.add(event);
		}

	}

}
