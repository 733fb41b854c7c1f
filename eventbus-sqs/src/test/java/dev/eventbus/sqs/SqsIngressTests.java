package dev.eventbus.sqs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingress queue of a destination against ElasticMQ, on standard and FIFO queues: what
 * a producer outside the bus sends there with the plain SDK reaches every group of every
 * application, a mover that dies between copying and deleting loses nothing, and FIFO
 * order per message group holds through the ingress.
 */
class SqsIngressTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final PlainJsonMapping MAPPING = new PlainJsonMapping("id", "source", "event", "urn", "time",
			"correlationId", "payload");

	private static ElasticMq broker;

	private final String destination = "ingress-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<EventBus> buses = new ArrayList<>();

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@AfterEach
	void closeBuses() {
		for (EventBus bus : this.buses) {
			bus.close();
			bus.adapter().close();
		}
	}

	@ParameterizedTest(name = "fifo={0}")
	@ValueSource(booleans = { false, true })
	void messageSentToTheIngressQueueIsHandledOnceByEachGroupOfEachApplication(boolean fifo) {
		Orders billing = new Orders();
		Orders shipping = new Orders();
		startBus(fifo, "billing", billing);
		startBus(fifo, "shipping", shipping);
		String body = "{\"urn\":\"urn:order:7\",\"event\":\"order.placed\",\"payload\":{\"amount\":42}}";
		broker.client().sendMessage(plainSend(fifo, ingressUrl(fifo), "urn:order:7", body)).join();
		await().atMost(TIMEOUT).until(() -> billing.placed.size() == 1 && shipping.placed.size() == 1);
		Duration quiet = SqsTestSettings.standard().visibilityTimeout().plusSeconds(1);
		await().during(quiet)
			.atMost(quiet.plusSeconds(5))
			.until(() -> billing.placed.size() == 1 && shipping.placed.size() == 1);
		Event<JsonNode> billed = billing.placed.get(0);
		assertThat(billed.type()).isEqualTo("order.placed");
		assertThat(billed.subject()).isEqualTo("urn:order:7");
		assertThat(billed.payload().get("amount").asInt()).isEqualTo(42);
		assertThat(billed.time()).as("the SentTimestamp of the ingress message").isNotNull();
		Event<JsonNode> shipped = shipping.placed.get(0);
		assertThat(shipped.time()).as("time in the other group").isEqualTo(billed.time());
	}

	@ParameterizedTest(name = "fifo={0}")
	@ValueSource(booleans = { false, true })
	void moverKilledBetweenCopyingAndDeletingLosesNothing(boolean fifo) throws Exception {
		SqsQueueNames names = new SqsQueueNames(fifo, SqsAdapterSettings.DEFAULTS.deadLetterSuffix());
		String ingressUrl = createQueue(fifo, names.destinationQueue(this.destination));
		String billingUrl = createQueue(fifo, names.groupQueue(this.destination, "billing"));
		String shippingUrl = createQueue(fifo, names.groupQueue(this.destination, "shipping"));
		String body = "{\"urn\":\"urn:order:8\",\"event\":\"order.placed\",\"payload\":{\"amount\":8}}";
		String messageId = broker.client()
			.sendMessage(plainSend(fifo, ingressUrl, "urn:order:8", body))
			.join()
			.messageId();
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				IngressMoverCrashChild.class.getName(), broker.endpoint(), this.destination, Boolean.toString(fifo))
			.redirectErrorStream(true)
			.start();
		try {
			CompletableFuture<String> copied = CompletableFuture.supplyAsync(() -> firstCopied(child));
			assertThat(copied.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("message the child copied")
				.isEqualTo(messageId);
		}
		finally {
			child.destroyForcibly().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(messagesIn(billingUrl)).as("copies accepted before the kill").isEqualTo(1);
		assertThat(messagesIn(shippingUrl)).isEqualTo(1);
		assertThat(messagesIn(ingressUrl)).as("ingress message, not deleted").isEqualTo(1);
		Orders billing = new Orders();
		Orders shipping = new Orders();
		startBus(fifo, "billing", billing);
		startBus(fifo, "shipping", shipping);
		await().atMost(TIMEOUT).until(() -> messagesIn(ingressUrl) == 0);
		await().atMost(TIMEOUT).until(() -> !billing.placed.isEmpty() && !shipping.placed.isEmpty());
		assertThat(billing.placed).extracting(Event::subject).containsOnly("urn:order:8");
		assertThat(shipping.placed).extracting(Event::subject).containsOnly("urn:order:8");
		assertThat(billing.placed).extracting(Event::time)
			.as("time of every copy")
			.containsOnly(billing.placed.get(0).time());
	}

	@Test
	void fifoOrderPerMessageGroupHoldsThroughTheIngress() {
		Orders billing = new Orders();
		Orders shipping = new Orders();
		startBus(true, "billing", billing);
		startBus(true, "shipping", shipping);
		String ingressUrl = ingressUrl(true);
		int subjects = 4;
		int perSubject = 10;
		for (int sequence = 0; sequence < perSubject; sequence++) {
			for (int subject = 0; subject < subjects; subject++) {
				String urn = "urn:order:" + subject;
				String body = "{\"urn\":\"" + urn + "\",\"event\":\"order.placed\",\"payload\":{\"sequence\":"
						+ sequence + "}}";
				broker.client().sendMessage(plainSend(true, ingressUrl, urn, body)).join();
			}
		}
		for (Orders group : List.of(billing, shipping)) {
			await().atMost(TIMEOUT).until(() -> group.placed.size() >= subjects * perSubject);
			Map<String, List<Integer>> bySubject = new HashMap<>();
			for (Event<JsonNode> event : group.placed) {
				bySubject.computeIfAbsent(event.subject(), (key) -> new ArrayList<>())
					.add(event.payload().get("sequence").asInt());
			}
			assertThat(bySubject).hasSize(subjects);
			bySubject.forEach((subject, sequences) -> assertThat(sequences).as("sequences of %s", subject)
				.isSorted()
				.containsAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
		}
	}

	private void startBus(boolean fifo, String group, Orders handlers) {
		SqsAdapterSettings settings = fifo ? SqsTestSettings.fifo() : SqsTestSettings.standard();
		EventBus bus = EventBus.builder()
			.adapter(new SqsEventBusAdapter(broker.client(), settings))
			.source("urn:eventbus:" + group)
			.defaultGroup(group)
			.defaultDestination(this.destination)
			.plainJsonMapping(MAPPING)
			.shutdownTimeout(Duration.ofSeconds(2))
			.build();
		this.buses.add(bus);
		bus.registerHandlers("orders", handlers);
		bus.start();
		await().atMost(TIMEOUT)
			.until(() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING));
	}

	/**
	 * The ingress queue, once the first mover created it.
	 */
	private String ingressUrl(boolean fifo) {
		String name = new SqsQueueNames(fifo, SqsAdapterSettings.DEFAULTS.deadLetterSuffix())
			.destinationQueue(this.destination);
		return await().atMost(TIMEOUT)
			.ignoreExceptions()
			.until(() -> broker.client().getQueueUrl((request) -> request.queueName(name)).join().queueUrl(),
					(url) -> url != null);
	}

	private static String createQueue(boolean fifo, String name) {
		Map<QueueAttributeName, String> attributes = new HashMap<>();
		attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT,
				Long.toString(SqsTestSettings.standard().visibilityTimeout().toSeconds()));
		if (fifo) {
			attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
		}
		return broker.client()
			.createQueue((request) -> request.queueName(name).attributes(attributes))
			.join()
			.queueUrl();
	}

	/**
	 * A send as a producer outside the bus makes it: the body alone, and on FIFO queues
	 * the message group and a deduplication id.
	 */
	private static SendMessageRequest plainSend(boolean fifo, String queueUrl, String group, String body) {
		SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body);
		if (fifo) {
			request.messageGroupId(group).messageDeduplicationId(UUID.randomUUID().toString());
		}
		return request.build();
	}

	private static String firstCopied(Process child) {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				if (line.startsWith(IngressMoverCrashChild.COPIED)) {
					return line.substring(IngressMoverCrashChild.COPIED.length());
				}
			}
			throw new IllegalStateException("the child ended without copying, exit code " + child.waitFor());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long messagesIn(String queueUrl) {
		Map<QueueAttributeName, String> attributes = broker.client()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
			.join()
			.attributes();
		return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				+ Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
	}

	static final class Orders {

		final List<Event<JsonNode>> placed = new CopyOnWriteArrayList<>();

		@EventHandler(id = "placed", types = "order.placed")
		void onPlaced(Event<JsonNode> event) {
			this.placed.add(event);
		}

	}

}
