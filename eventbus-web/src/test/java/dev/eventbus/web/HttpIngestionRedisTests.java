package dev.eventbus.web;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.redis.RedisServerProcess;
import dev.eventbus.test.BrokerExtension;
import dev.eventbus.web.IngestionClient.Answer;
import dev.eventbus.web.IngestionTestApplication.Received;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.eventbus.web.HttpIngestionTests.structured;
import static dev.eventbus.web.IngestionTestApplication.PARTNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingestion endpoint of an application on Redis Streams (a server the test starts),
 * with the inbox on H2 recognising repeats: every mode arrives intact through the broker,
 * the CloudEvents JavaScript SDK is a producer like any other, and a repeated source and
 * id is published once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=ingestion-redis-test", "eventbus.adapter=redis",
				"eventbus.inbox.enabled=true", "eventbus.web.ingestion.enabled=true",
				"eventbus.web.ingestion.allowed-types=order.*,note.*",
				"eventbus.web.ingestion.allowed-sources=urn:partner:*,urn:eventbus-web:{principal}",
				"eventbus.codec.plain.subject-field=urn", "eventbus.codec.plain.type-field=event",
				"eventbus.codec.plain.data-field=payload", "spring.datasource.url=jdbc:h2:mem:ingestion",
				"eventbus.redis.poll-timeout=200ms" })
@DirtiesContext
class HttpIngestionRedisTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final BrokerExtension<RedisServerProcess> redis = new BrokerExtension<>(RedisServerProcess::start);

	@LocalServerPort
	int port;

	@Autowired
	Received received;

	@Autowired
	JdbcClient jdbc;

	IngestionClient client;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", () -> redis.get().port());
	}

	@BeforeEach
	void clear() {
		this.client = new IngestionClient(this.port);
		this.received.clear();
	}

	@Test
	void binaryStructuredBatchAndPlainJsonArriveIntactThroughRedis() {
		assertThat(
				this.client
					.post(PARTNER, "application/json",
							Map.of("ce-specversion", "1.0", "ce-id", "r-bin", "ce-source", "urn:partner:acme",
									"ce-type", "order.imported", "ce-subject", "order-1"),
							"{\"amount\":1}")
					.status())
			.isEqualTo(202);
		assertThat(this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				"{\"specversion\":\"1.0\",\"id\":\"r-note\",\"source\":\"urn:partner:acme\",\"type\":\"note.added\","
						+ "\"datacontenttype\":\"text/plain\",\"data\":\"hi\",\"priority\":5}")
			.status()).isEqualTo(202);
		assertThat(
				this.client
					.post(PARTNER, "application/cloudevents-batch+json", Map.of(),
							"[" + structured("r-batch-1", "order.imported", "{\"amount\":2}") + ","
									+ structured("r-batch-2", "order.imported", "{\"amount\":3}") + "]")
					.status())
			.isEqualTo(202);
		assertThat(this.client
			.post(PARTNER, "application/json", Map.of("Idempotency-Key", "r-plain"),
					"{\"urn\":\"urn:order:9\",\"event\":\"order.seeded\",\"payload\":{\"amount\":4}}")
			.status()).isEqualTo(202);
		await().atMost(WAIT).until(() -> this.received.orders.size() == 4 && this.received.notes.size() == 1);
		assertThat(this.received.orders).extracting((event) -> event.payload().get("amount").asInt())
			.containsExactlyInAnyOrder(1, 2, 3, 4);
		assertThat(order("r-bin").subject()).isEqualTo("order-1");
		assertThat(order("r-plain").subject()).isEqualTo("urn:order:9");
		assertThat(order("r-plain").source()).isEqualTo("urn:eventbus-web:partner");
		Event<String> note = this.received.notes.get(0);
		assertThat(note.payload()).isEqualTo("hi");
		assertThat(note.dataContentType()).isEqualTo("text/plain");
		assertThat(note.extension("priority")).isEqualTo(5);
	}

	@Test
	void eventsOfTheCloudEventsJavaScriptSdkArriveIntact() {
		String output = JavaScriptProducer.send(this.client.url(IngestionClient.PATH), PARTNER);
		assertThat(output).contains("binary 202", "structured 202");
		await().atMost(WAIT).until(() -> this.received.orders.size() == 1 && this.received.notes.size() == 1);
		Event<JsonNode> order = this.received.orders.get(0);
		assertThat(order.id()).isEqualTo("js-binary-1");
		assertThat(order.source()).isEqualTo("urn:partner:js");
		assertThat(order.subject()).isEqualTo("order-js-1");
		assertThat(order.payload().get("amount").asInt()).isEqualTo(12);
		assertThat(order.header("priority")).as("binary mode carries extensions as text").isEqualTo("5");
		Event<String> note = this.received.notes.get(0);
		assertThat(note.id()).isEqualTo("js-structured-1");
		assertThat(note.payload()).isEqualTo("hello from js");
		assertThat(note.extension("priority")).isEqualTo(7);
		assertThat(note.extension("urgent")).isEqualTo(true);
		assertThat(note.time()).as("the SDK sets a time").isNotNull();
	}

	@Test
	void theSameSourceAndIdPostedTwiceIsPublishedOnceThroughTheInbox() {
		String body = structured("r-twice", "order.imported", "{\"amount\":5}");
		assertThat(this.client.post(PARTNER, "application/cloudevents+json", Map.of(), body).status()).isEqualTo(202);
		Answer again = this.client.post(PARTNER, "application/cloudevents+json", Map.of(), body);
		assertThat(again.json().at("/accepted/0/duplicate").asBoolean()).isTrue();
		this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				structured("r-after", "order.imported", "{\"amount\":6}"));
		await().atMost(WAIT).until(() -> this.received.orders.stream().anyMatch((e) -> e.id().equals("r-after")));
		assertThat(this.received.orders).extracting(Event::id).containsExactly("r-twice", "r-after");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM eventbus_inbox WHERE event_id = 'r-twice'")
			.query(Long.class)
			.single()).as("the claim recorded in the inbox").isEqualTo(1);
	}

	private Event<JsonNode> order(String id) {
		return this.received.orders.stream().filter((event) -> event.id().equals(id)).findFirst().orElseThrow();
	}

}
