package dev.eventbus.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.web.IngestionClient.Answer;
import dev.eventbus.web.IngestionTestApplication.Received;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.eventbus.web.IngestionTestApplication.PARTNER;
import static dev.eventbus.web.IngestionTestApplication.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingestion endpoint of an application on the in-memory bus, called over HTTP on a
 * real server: every mode of the CloudEvents HTTP binding and plain JSON reach a handler
 * intact, and every refusal is the status and RFC 9457 problem it should be.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=ingestion-test", "eventbus.web.ingestion.enabled=true",
				"eventbus.web.ingestion.allowed-types=order.*,note.*", "eventbus.web.ingestion.max-body-size=4KB",
				"eventbus.codec.plain.subject-field=urn", "eventbus.codec.plain.type-field=event",
				"eventbus.codec.plain.data-field=payload" })
class HttpIngestionTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	@LocalServerPort
	int port;

	@Autowired
	Received received;

	IngestionClient client;

	@BeforeEach
	void clear() {
		this.client = new IngestionClient(this.port);
		this.received.clear();
	}

	@Test
	void aBinaryModeEventReachesAHandlerWithItsAttributesDataAndExtensions() {
		Answer answer = this.client.post(PARTNER, "application/json",
				Map.of("ce-specversion", "1.0", "ce-id", "bin-1", "ce-source", "urn:partner:acme", "ce-type",
						"order.imported", "ce-subject", "order-1", "ce-time", "2026-01-02T03:04:05Z", "ce-priority",
						"5", "ce-region", "caf%C3%A9"),
				"{\"amount\":42}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		assertThat(answer.json().at("/accepted/0/id").asString()).isEqualTo("bin-1");
		Event<JsonNode> event = awaitOrder("bin-1");
		assertThat(event.source()).isEqualTo("urn:partner:acme");
		assertThat(event.subject()).isEqualTo("order-1");
		assertThat(event.time()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
		assertThat(event.payload().get("amount").asInt()).isEqualTo(42);
		assertThat(event.header("priority")).isEqualTo("5");
		assertThat(event.header("region")).as("percent-decoded, as the HTTP binding says").isEqualTo("caf\u00e9");
	}

	@Test
	void aStructuredEventWithTextDataReachesAStringHandlerWithTypedExtensions() {
		Answer answer = this.client.post(PARTNER, "application/cloudevents+json; charset=UTF-8", Map.of(),
				"{\"specversion\":\"1.0\",\"id\":\"note-1\",\"source\":\"urn:partner:acme\",\"type\":\"note.added\","
						+ "\"datacontenttype\":\"text/plain\",\"data\":\"call back\",\"priority\":5,\"urgent\":true}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		await().atMost(WAIT).until(() -> this.received.notes.size() == 1);
		Event<String> note = this.received.notes.get(0);
		assertThat(note.payload()).isEqualTo("call back");
		assertThat(note.dataContentType()).isEqualTo("text/plain");
		assertThat(note.extension("priority")).isEqualTo(5);
		assertThat(note.extension("urgent")).isEqualTo(true);
	}

	@Test
	void aBatchIsPublishedInOrderAndAnsweredWithEveryId() {
		Answer answer = this.client.post(PARTNER, "application/cloudevents-batch+json", Map.of(),
				"[" + structured("batch-1", "order.imported", "{\"n\":1}") + ","
						+ structured("batch-2", "order.imported", "{\"n\":2}") + "]");
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		assertThat(answer.json().findValuesAsString("id")).containsExactly("batch-1", "batch-2");
		await().atMost(WAIT).until(() -> this.received.orders.size() == 2);
		assertThat(this.received.orders).extracting(Event::id).containsExactly("batch-1", "batch-2");
	}

	@Test
	void plainJsonIsReadThroughTheFieldMappingWithTheIdempotencyKeyAsItsId() {
		Answer answer = this.client.post(PARTNER, "application/json", Map.of("Idempotency-Key", "seed-1"),
				"{\"urn\":\"urn:order:7\",\"event\":\"order.seeded\",\"payload\":{\"amount\":3}}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		Event<JsonNode> event = awaitOrder("seed-1");
		assertThat(event.type()).isEqualTo("order.seeded");
		assertThat(event.subject()).isEqualTo("urn:order:7");
		assertThat(event.source()).isEqualTo("urn:eventbus-web:partner");
		assertThat(event.payload().get("amount").asInt()).isEqualTo(3);
	}

	@Test
	void theSameSourceAndIdPostedTwiceIsPublishedOnce() {
		String body = structured("twice-1", "order.imported", "{}");
		assertThat(this.client.post(PARTNER, "application/cloudevents+json", Map.of(), body).status()).isEqualTo(202);
		Answer again = this.client.post(PARTNER, "application/cloudevents+json", Map.of(), body);
		assertThat(again.status()).isEqualTo(202);
		assertThat(again.json().at("/accepted/0/duplicate").asBoolean()).isTrue();
		awaitOrder("twice-1");
		String later = structured("twice-2", "order.imported", "{}");
		this.client.post(PARTNER, "application/cloudevents+json", Map.of(), later);
		awaitOrder("twice-2");
		assertThat(this.received.orders).extracting(Event::id).containsExactly("twice-1", "twice-2");
	}

	@Test
	void theCallersTraceContinuesIntoThePublishedEvent() {
		this.client.post(PARTNER, "application/cloudevents+json", Map.of("traceparent", TRACEPARENT),
				structured("traced-1", "order.imported", "{}"));
		Event<JsonNode> event = awaitOrder("traced-1");
		assertThat(event.header("traceparent")).contains("4bf92f3577b34da6a3ce929d0e0e4736");
	}

	@Test
	void invalidEventsAreRefusedWith400NamingWhatIsWrong() {
		assertProblem(
				this.client.post(PARTNER, "application/json",
						Map.of("ce-specversion", "1.0", "ce-id", "x", "ce-type", "order.imported"), "{}"),
				400, "Binary-mode CloudEvent has no 'ce-source' header");
		assertProblem(
				this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
						"{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"urn:partner:acme\",\"data\":{}}"),
				400, "type");
		assertProblem(this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				"{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"urn:partner:acme\",\"type\":\"order.imported\","
						+ "\"time\":\"yesterday\",\"data\":{}}"),
				400, "time");
		assertProblem(this.client.post(PARTNER, "application/cloudevents+json", Map.of(), "{not json"), 400,
				"The body is not JSON");
		assertProblem(this.client.post(PARTNER, "application/json", Map.of("ce-specversion", "1.0", "ce-id", "x",
				"ce-source", "urn:partner:acme", "ce-type", "order.imported"), "{broken"), 400, "The body is not JSON");
		assertProblem(this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				structured("x", "order.imported", "{}").replace("\"1.0\"", "\"0.3\"")), 400, "0.3");
	}

	@Test
	void aBatchWithOneInvalidEntryPublishesNothingAndNamesTheEntry() {
		Answer answer = this.client.post(PARTNER, "application/cloudevents-batch+json", Map.of(),
				"[" + structured("good-1", "order.imported", "{}") + ",{\"specversion\":\"1.0\",\"id\":\"bad\"}]");
		assertProblem(answer, 400, "Entry 1: ");
		assertThat(answer.json().get("index").asInt()).isEqualTo(1);
		this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				structured("after-1", "order.imported", "{}"));
		awaitOrder("after-1");
		assertThat(this.received.orders).extracting(Event::id).containsExactly("after-1");
	}

	@Test
	void aBodyOverTheLimitIs413AndAnotherMediaTypeIs415() {
		assertProblem(this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				structured("big", "order.imported", "\"" + "x".repeat(5000) + "\"")), 413, "max-body-size");
		assertProblem(this.client.post(PARTNER, "text/xml", Map.of(), "<event/>"), 415, "text/xml");
		assertProblem(this.client.post(PARTNER, null, Map.of(), "{}"), 415, "no Content-Type");
	}

	@Test
	void callersWithoutCredentialsOrAuthorityAreRefused() {
		String body = structured("secure-1", "order.imported", "{}");
		Answer anonymous = this.client.post(null, "application/cloudevents+json", Map.of(), body);
		assertProblem(anonymous, 401, "authenticated callers only");
		assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
		assertProblem(this.client.post(VIEWER, "application/cloudevents+json", Map.of(), body), 403,
				"'eventbus.publish'");
		assertThat(this.received.orders).isEmpty();
	}

	@Test
	void typesOutsideTheAllowListAndTheSourcesOfTheBusAreRefused() {
		assertProblem(this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
				structured("t-1", "payment.refunded", "{}")), 403, "'payment.refunded' is not in");
		assertProblem(
				this.client.post(PARTNER, "application/cloudevents+json", Map.of(),
						structured("t-2", "order.imported", "{}").replace("urn:partner:acme", "urn:eventbus:billing")),
				403, "'urn:eventbus:billing'");
	}

	@Test
	void theRestOfTheApplicationStaysBehindSpringBootsDefaultSecurity() {
		assertThat(this.client.get("/hello", null).status()).isEqualTo(401);
		assertThat(this.client.get("/hello", VIEWER).body()).isEqualTo("hello");
	}

	private Event<JsonNode> awaitOrder(String id) {
		await().atMost(WAIT).until(() -> this.received.orders.stream().anyMatch((event) -> event.id().equals(id)));
		return this.received.orders.stream().filter((event) -> event.id().equals(id)).findFirst().orElseThrow();
	}

	static String structured(String id, String type, String data) {
		return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:partner:acme\",\"type\":\"" + type
				+ "\",\"data\":" + data + "}";
	}

	static void assertProblem(Answer answer, int status, String detail) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.contentType()).startsWith("application/problem+json");
		JsonNode problem = answer.json();
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).contains(detail);
		assertThat(List.of(problem.get("instance").asString())).containsExactly(IngestionClient.PATH);
	}

}
