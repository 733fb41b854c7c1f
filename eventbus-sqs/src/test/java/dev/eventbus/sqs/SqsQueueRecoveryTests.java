package dev.eventbus.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQS adapter against ElasticMQ after the broker lost a destination's queues, as when
 * an operator deletes them or a broker that keeps no queues restarts: with auto-creation
 * on they are created again as they were first created and delivery goes on; with it off,
 * publishes fail naming the queue and the setting, and subscriptions wait for the queue.
 */
class SqsQueueRecoveryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static ElasticMq broker;

	private final String destination = "recovery-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@Test
	void lostQueuesAreCreatedAgainAndDeliveryGoesOn() {
		SqsAdapterSettings settings = SqsTestSettings.standard();
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), settings)) {
			List<String> received = new CopyOnWriteArrayList<>();
			subscribe(adapter, "billing", acking(received));
			send(adapter, "{\"n\":1}");
			await().atMost(TIMEOUT).until(() -> received.contains("{\"n\":1}"));

			deleteQueuesOfDestination();
			send(adapter, "{\"n\":2}");

			await().atMost(TIMEOUT).until(() -> received.contains("{\"n\":2}"));
			await().atMost(TIMEOUT).until(() -> adapter.health().up());
			assertThat(attributesOf(this.destination + "__billing"))
				.containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT,
						Long.toString(settings.visibilityTimeout().toSeconds()))
				.hasEntrySatisfying(QueueAttributeName.REDRIVE_POLICY,
						(policy) -> assertThat(policy).contains(this.destination + "_dlq"));
		}
	}

	@Test
	void subscriptionCreatesItsLostQueueAgainBeforeAnythingIsPublished() {
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), SqsTestSettings.standard())) {
			List<String> received = new CopyOnWriteArrayList<>();
			Subscription subscription = subscribe(adapter, "billing", acking(received));

			deleteQueuesOfDestination();

			await().atMost(TIMEOUT).until(() -> queueExists(this.destination + "__billing"));
			await().atMost(TIMEOUT)
				.until(() -> subscription.state() == SubscriptionState.RUNNING && adapter.health().up());
			assertThat(attributesOf(this.destination + "__billing")).hasEntrySatisfying(
					QueueAttributeName.REDRIVE_POLICY,
					(policy) -> assertThat(policy).contains(this.destination + "_dlq"));
			send(adapter, "{\"n\":1}");
			await().atMost(TIMEOUT).until(() -> received.contains("{\"n\":1}"));
		}
	}

	@Test
	void lostFifoQueuesAreCreatedAgainAsFifoQueuesAndDeliveryGoesOn() {
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), SqsTestSettings.fifo())) {
			List<String> received = new CopyOnWriteArrayList<>();
			subscribe(adapter, "billing", acking(received));
			send(adapter, "{\"n\":1}");
			await().atMost(TIMEOUT).until(() -> received.contains("{\"n\":1}"));

			deleteQueuesOfDestination();
			send(adapter, "{\"n\":2}");
			send(adapter, "{\"n\":3}");

			await().atMost(TIMEOUT).until(() -> received.containsAll(List.of("{\"n\":2}", "{\"n\":3}")));
			assertThat(received).containsSubsequence("{\"n\":2}", "{\"n\":3}");
			await().atMost(TIMEOUT).until(() -> adapter.health().up());
			assertThat(attributesOf(this.destination + "__billing.fifo"))
				.containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
				.hasEntrySatisfying(QueueAttributeName.REDRIVE_POLICY,
						(policy) -> assertThat(policy).contains(this.destination + "_dlq.fifo"));
		}
	}

	@Test
	void publishToALostQueueFailsNamingItAndTheSettingWhenAutoCreationIsOff() {
		broker.client().createQueue((request) -> request.queueName(this.destination)).join();
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), withoutAutoCreation())) {
			send(adapter, "{\"n\":1}");

			deleteQueuesOfDestination();
			CompletableFuture<SendResult> lost = adapter.send(message("{\"n\":2}"));

			assertThat(lost).failsWithin(TIMEOUT)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PublishException.class)
				.withMessageContaining("SQS queue '" + this.destination + "' does not exist")
				.withMessageContaining("eventbus.sqs.auto-create-queues is off");
			assertThat(queueExists(this.destination)).isFalse();
		}
	}

	@Test
	void publishToAQueueThatNeverExistedFailsNamingItWhenAutoCreationIsOff() {
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), withoutAutoCreation())) {
			CompletableFuture<SendResult> missing = adapter.send(message("{\"n\":1}"));

			assertThat(missing).failsWithin(TIMEOUT)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(PublishException.class)
				.withMessageContaining("SQS queue '" + this.destination + "' does not exist")
				.withMessageContaining("eventbus.sqs.auto-create-queues is off");
		}
	}

	@Test
	void subscriptionWaitsForItsLostQueueWhenAutoCreationIsOff() {
		String groupQueue = this.destination + "__billing";
		broker.client().createQueue((request) -> request.queueName(groupQueue)).join();
		try (SqsEventBusAdapter adapter = new SqsEventBusAdapter(broker.client(), withoutAutoCreation())) {
			List<String> received = new CopyOnWriteArrayList<>();
			Subscription subscription = subscribe(adapter, "billing", acking(received));

			deleteQueuesOfDestination();

			await().atMost(TIMEOUT).until(() -> subscription.state() == SubscriptionState.RECONNECTING);
			assertThat(adapter.health().up()).isFalse();
			assertThat(queueExists(groupQueue)).as("queue created by the adapter with auto-creation off").isFalse();
			broker.client().createQueue((request) -> request.queueName(groupQueue)).join();
			send(adapter, "{\"n\":1}");
			await().atMost(TIMEOUT).until(() -> received.contains("{\"n\":1}"));
			await().atMost(TIMEOUT).until(() -> subscription.state() == SubscriptionState.RUNNING);
			assertThat(adapter.health().up()).isTrue();
		}
	}

	private Subscription subscribe(SqsEventBusAdapter adapter, String group, DeliveryListener listener) {
		Subscription subscription = adapter.subscribe(new SubscriptionSpec(this.destination, group, group, 2, 3),
				listener);
		await().atMost(TIMEOUT).until(() -> subscription.state() == SubscriptionState.RUNNING);
		return subscription;
	}

	private void send(SqsEventBusAdapter adapter, String body) {
		adapter.send(message(body)).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	private OutboundMessage message(String body) {
		return OutboundMessage.raw(this.destination, "order-1", UUID.randomUUID().toString(), Map.of(),
				body.getBytes(StandardCharsets.UTF_8));
	}

	private void deleteQueuesOfDestination() {
		List<String> urls = broker.client()
			.listQueues((request) -> request.queueNamePrefix(this.destination))
			.join()
			.queueUrls();
		assertThat(urls).isNotEmpty();
		urls.forEach((url) -> broker.client().deleteQueue((request) -> request.queueUrl(url)).join());
	}

	private static boolean queueExists(String name) {
		return broker.client()
			.listQueues((request) -> request.queueNamePrefix(name))
			.join()
			.queueUrls()
			.stream()
			.anyMatch((url) -> SqsQueues.queueName(url).equals(name));
	}

	private static Map<QueueAttributeName, String> attributesOf(String name) {
		String url = broker.client().getQueueUrl((request) -> request.queueName(name)).join().queueUrl();
		return broker.client()
			.getQueueAttributes((request) -> request.queueUrl(url).attributeNames(QueueAttributeName.ALL))
			.join()
			.attributes();
	}

	private static SqsAdapterSettings withoutAutoCreation() {
		SqsAdapterSettings standard = SqsTestSettings.standard();
		return new SqsAdapterSettings(standard.fifo(), false, standard.visibilityTimeout(), standard.waitTime(),
				standard.maxInFlightMessages(), standard.sendLinger(), standard.deadLetterSuffix(),
				standard.nativeRedrive(), standard.redriveExtraReceives(), standard.groupRefreshInterval(),
				standard.requestTimeout());
	}

	private static DeliveryListener acking(List<String> received) {
		return (Delivery delivery) -> {
			received.add(new String(delivery.body(), StandardCharsets.UTF_8));
			delivery.ack();
		};
	}

}
