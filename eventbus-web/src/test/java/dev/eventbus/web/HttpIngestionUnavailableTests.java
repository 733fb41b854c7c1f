package dev.eventbus.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.eventbus.web.IngestionClient.Answer;
import dev.eventbus.web.IngestionTestApplication.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.eventbus.web.HttpIngestionTests.assertProblem;
import static dev.eventbus.web.HttpIngestionTests.structured;
import static dev.eventbus.web.IngestionTestApplication.PARTNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the bus takes no more events (an in-memory bus whose one place is taken by an
 * event its handler holds), the endpoint answers 503 with {@code Retry-After}; the caller
 * repeats the request later and the event is published once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=ingestion-unavailable-test", "eventbus.web.ingestion.enabled=true",
				"eventbus.web.ingestion.allowed-types=order.*", "eventbus.web.ingestion.retry-after=7s",
				"eventbus.memory.queue-capacity=1", "eventbus.memory.enqueue-timeout=100ms" })
class HttpIngestionUnavailableTests {

	@LocalServerPort
	int port;

	@Autowired
	Received received;

	@AfterEach
	void open() {
		this.received.gate.countDown();
	}

	@Test
	void aBusThatTakesNoMoreEventsIsAnswered503WithRetryAfterAndTheRepeatIsPublishedOnce() {
		IngestionClient client = new IngestionClient(this.port);
		this.received.gate = new CountDownLatch(1);
		assertThat(client
			.post(PARTNER, "application/cloudevents+json", Map.of(), structured("held", "order.imported", "{}"))
			.status()).isEqualTo(202);
		String waiting = structured("waiting", "order.imported", "{}");
		Answer unavailable = client.post(PARTNER, "application/cloudevents+json", Map.of(), waiting);
		assertProblem(unavailable, 503, "did not accept event 'waiting'");
		assertThat(unavailable.header("Retry-After")).isEqualTo("7");
		this.received.gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.post(PARTNER, "application/cloudevents+json", Map.of(), waiting).status() == 202);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.orders.size() == 2);
		assertThat(this.received.orders).extracting((event) -> event.id()).containsExactly("held", "waiting");
	}

}
