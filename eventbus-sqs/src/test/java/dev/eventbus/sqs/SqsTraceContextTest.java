package dev.eventbus.sqs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.TraceContextConformance;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Trace context across a real SQS hop (ElasticMQ): the message attribute
 * {@code traceparent}, read and written with the plain AWS SDK client.
 */
class SqsTraceContextTest extends TraceContextConformance {

	private static final SqsAdapterSettings SETTINGS = SqsTestSettings.standard();

	private static final SqsQueueNames NAMES = new SqsQueueNames(false, SETTINGS.deadLetterSuffix());

	private static @Nullable ElasticMq broker;

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@Override
	protected EventBusAdapter createAdapter() {
		return new SqsEventBusAdapter(broker.client(), SETTINGS);
	}

	/**
	 * A group queue of an observer, which the publisher fans out to like any other
	 * group's.
	 */
	@Override
	protected void keepMessagesOf(String destination) {
		client().createQueue((request) -> request.queueName(NAMES.groupQueue(destination, "observer"))).join();
	}

	@Override
	protected List<String> readTraceparents(String destination, String eventId) {
		String queueUrl = queueUrl(NAMES.groupQueue(destination, "observer"));
		long deadline = System.nanoTime() + timeout().toNanos();
		while (System.nanoTime() < deadline) {
			for (Message message : client()
				.receiveMessage((request) -> request.queueUrl(queueUrl)
					.messageAttributeNames("All")
					.maxNumberOfMessages(10)
					.waitTimeSeconds(1))
				.join()
				.messages()) {
				if (message.body().contains("\"id\":\"" + eventId + "\"")) {
					MessageAttributeValue traceparent = message.messageAttributes().get("traceparent");
					return (traceparent != null) ? List.of(traceparent.stringValue()) : List.of();
				}
			}
		}
		throw new AssertionError("No message of event " + eventId + " in " + queueUrl);
	}

	/**
	 * Sends the way a producer outside the library reaches every group today: to each
	 * group queue of the destination.
	 */
	@Override
	protected void sendForeign(String destination, String type, String traceparent) {
		String body = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
				+ "\",\"source\":\"urn:foreign\",\"type\":\"" + type + "\",\"data\":{\"amount\":1}}";
		List<String> queueUrls = client()
			.listQueues((request) -> request.queueNamePrefix(NAMES.groupQueuePrefix(destination)))
			.join()
			.queueUrls();
		if (queueUrls.isEmpty()) {
			throw new AssertionError("No group queue of " + destination);
		}
		for (String queueUrl : queueUrls) {
			client()
				.sendMessage((request) -> request.queueUrl(queueUrl)
					.messageBody(body)
					.messageAttributes(Map.of("traceparent",
							MessageAttributeValue.builder().dataType("String").stringValue(traceparent).build())))
				.join();
		}
	}

	@Override
	protected Duration timeout() {
		return Duration.ofSeconds(20);
	}

	private static SqsAsyncClient client() {
		return broker.client();
	}

	private static String queueUrl(String name) {
		return client().getQueueUrl((request) -> request.queueName(name)).join().queueUrl();
	}

}
