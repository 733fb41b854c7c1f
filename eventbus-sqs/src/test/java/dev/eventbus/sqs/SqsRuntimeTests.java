package dev.eventbus.sqs;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.Retry;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.SubscriptionState;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event bus runtime on the SQS adapter against ElasticMQ: messages of other producers
 * sent with the raw SDK, poison messages and handlers that keep failing, read back
 * through the dead-letter store.
 */
class SqsRuntimeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static ElasticMq broker;

	private final String destination = "runtime-" + UUID.randomUUID().toString().substring(0, 8);

	private final Handlers handlers = new Handlers();

	private final EventBus bus = EventBus.builder()
		.adapter(new SqsEventBusAdapter(broker.client(), SqsTestSettings.standard()))
		.source("urn:eventbus:sqs-tests")
		.defaultGroup("orders")
		.defaultDestination(this.destination)
		.plainJsonMapping(new PlainJsonMapping("id", "source", "event", "urn", "time", "correlationId", "payload"))
		.shutdownTimeout(Duration.ofSeconds(2))
		.build();

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@AfterEach
	void closeBus() {
		this.bus.close();
		this.bus.adapter().close();
	}

	@Test
	void plainJsonFromAnotherProducerIsHandled() {
		start();
		String body = "{\"urn\":\"urn:order:7\",\"event\":\"order.placed\",\"payload\":{\"amount\":42}}";
		broker.client().sendMessage((request) -> request.queueUrl(groupQueueUrl()).messageBody(body)).join();
		await().atMost(TIMEOUT).until(() -> this.handlers.placed.size() == 1);
		Event<JsonNode> event = this.handlers.placed.get(0);
		assertThat(event.type()).isEqualTo("order.placed");
		assertThat(event.subject()).isEqualTo("urn:order:7");
		assertThat(event.payload().get("amount").asInt()).isEqualTo(42);
	}

	@Test
	void bytesTheCloudEventsSdkWritesReachAByteArrayHandlerWithTheirContentType() {
		start();
		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 };
		CloudEvent uploaded = CloudEventBuilder.v1()
			.withId("image-1")
			.withSource(URI.create("urn:sdk"))
			.withType("image.uploaded")
			.withExtension("channel", "mobile")
			.withExtension("priority", 5)
			.withExtension("urgent", true)
			.withData("image/png", image)
			.build();
		String body = new String(new JsonFormat().serialize(uploaded), StandardCharsets.UTF_8);
		broker.client().sendMessage((request) -> request.queueUrl(groupQueueUrl()).messageBody(body)).join();
		await().atMost(TIMEOUT).until(() -> this.handlers.images.size() == 1);
		Event<byte[]> event = this.handlers.images.get(0);
		assertThat(event.payload()).isEqualTo(image);
		assertThat(event.dataContentType()).isEqualTo("image/png");
		assertThat(event.header("channel")).isEqualTo("mobile");
		assertThat(event.extension("priority")).isEqualTo(5);
		assertThat(event.extension("urgent")).isEqualTo(true);
		assertThat(event.time()).isNull();
	}

	@Test
	void poisonMessageIsDeadLetteredAtOnceAndLaterEventsFlow() {
		start();
		broker.client().sendMessage((request) -> request.queueUrl(groupQueueUrl()).messageBody("not JSON {")).join();
		String later = this.bus.publisher()
			.publish(EventMessage.of("order.placed", Map.of("amount", 1)).build())
			.eventId();
		await().atMost(TIMEOUT)
			.until(() -> this.handlers.placed.stream().anyMatch((event) -> event.id().equals(later)));
		await().atMost(TIMEOUT).until(() -> !this.bus.deadLetters().list(this.destination, 10).isEmpty());
		DeadLetter deadLetter = this.bus.deadLetters().list(this.destination, 10).get(0);
		assertThat(deadLetter.body()).isEqualTo("not JSON {");
		assertThat(deadLetter.attempts()).isEqualTo(1);
		assertThat(deadLetter.exception()).isEqualTo(EventDecodingException.class.getName());
		assertThat(deadLetter.handler()).as("the subscription, for a message no handler could read")
			.isEqualTo("orders@" + this.destination);
	}

	@Test
	void failingHandlerReachesTheDeadLetterQueueAfterItsAttempts() {
		start();
		String failing = this.bus.publisher()
			.publish(EventMessage.of("order.rejected", Map.of("reason", "stock")).subject("order-9").build())
			.eventId();
		await().atMost(TIMEOUT).until(() -> !this.bus.deadLetters().list(this.destination, 10).isEmpty());
		assertThat(this.handlers.rejectedCalls).hasSize(3);
		DeadLetter deadLetter = this.bus.deadLetters().list(this.destination, 10).get(0);
		assertThat(deadLetter.id()).isEqualTo(failing);
		assertThat(deadLetter.subject()).isEqualTo("order-9");
		assertThat(deadLetter.attempts()).isEqualTo(3);
		assertThat(deadLetter.handler()).isEqualTo("rejected");
		assertThat(deadLetter.exception()).isEqualTo(IllegalStateException.class.getName());
		String dlqUrl = broker.client()
			.getQueueUrl((request) -> request.queueName(this.destination + "_dlq"))
			.join()
			.queueUrl();
		List<Message> raw = broker.client()
			.receiveMessage((request) -> request.queueUrl(dlqUrl).messageAttributeNames("All").visibilityTimeout(1))
			.join()
			.messages();
		assertThat(raw).hasSize(1);
		assertThat(raw.get(0).messageAttributes()).as("failure headers as SQS message attributes")
			.containsKeys(FailureHeaders.EXCEPTION, FailureHeaders.ATTEMPTS, FailureHeaders.HANDLER,
					SqsMessageMapping.KEY);
		await().atMost(TIMEOUT).until(() -> this.bus.deadLetters().purge(this.destination) == 1);
		assertThat(this.bus.deadLetters().list(this.destination, 10)).isEmpty();
	}

	private void start() {
		this.bus.registerHandlers("handlers", this.handlers);
		this.bus.start();
		await().atMost(TIMEOUT)
			.until(() -> this.bus.subscriptions()
				.stream()
				.allMatch((view) -> view.state() == SubscriptionState.RUNNING));
	}

	private String groupQueueUrl() {
		List<String> urls = broker.client()
			.listQueues((request) -> request.queueNamePrefix(this.destination + "__orders"))
			.join()
			.queueUrls();
		assertThat(urls).as("the queue of group orders").hasSize(1);
		return urls.get(0);
	}

	static final class Handlers {

		final List<Event<JsonNode>> placed = new CopyOnWriteArrayList<>();

		final List<Long> rejectedCalls = new CopyOnWriteArrayList<>();

		final List<Event<byte[]>> images = new CopyOnWriteArrayList<>();

		@EventHandler(id = "images", types = "image.uploaded")
		void onImage(Event<byte[]> event) {
			this.images.add(event);
		}

		@EventHandler(id = "placed", types = "order.placed")
		void onPlaced(Event<JsonNode> event) {
			this.placed.add(event);
		}

		@EventHandler(id = "rejected", types = "order.rejected",
				retry = @Retry(maxRetries = 2, delay = "50ms", multiplier = 2, maxDelay = "1s"))
		void onRejected(Event<JsonNode> event) {
			this.rejectedCalls.add(System.nanoTime());
			throw new IllegalStateException("rejected: " + event.payload());
		}

	}

}
