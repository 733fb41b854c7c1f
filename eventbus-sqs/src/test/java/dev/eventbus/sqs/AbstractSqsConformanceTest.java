package dev.eventbus.sqs;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs the conformance suite against ElasticMQ in the test JVM, one server per test
 * class, with the broker restart case on. A 2 second visibility timeout bounds crash
 * recovery. Subclasses choose the kind of queue. What the broker still holds for a group
 * is read from the attributes of its group queue.
 */
abstract class AbstractSqsConformanceTest extends AdapterConformanceSuite {

	private static ElasticMq broker;

	@BeforeAll
	static void startBroker() {
		broker = new ElasticMq();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	/**
	 * Settings of the adapters under test.
	 * @return the settings
	 */
	protected abstract SqsAdapterSettings settings();

	@Override
	protected EventBusAdapter createAdapter() {
		return new SqsEventBusAdapter(broker.client(), settings());
	}

	@Override
	protected ConformanceFeatures features() {
		return super.features().withBrokerRestart(true);
	}

	@Override
	protected void restartBroker() {
		broker.restart();
	}

	@Override
	protected Duration redeliveryTimeout() {
		return Duration.ofSeconds(10);
	}

	/**
	 * The messages of the group queue, visible, in flight and delayed.
	 */
	@Override
	protected long messagesLeftAtBroker(String destination, String group) {
		SqsAdapterSettings settings = settings();
		String queue = new SqsQueueNames(settings.fifo(), settings.deadLetterSuffix()).groupQueue(destination, group);
		String queueUrl = broker.client().getQueueUrl((request) -> request.queueName(queue)).join().queueUrl();
		Map<QueueAttributeName, String> attributes = broker.client()
			.getQueueAttributes((request) -> request.queueUrl(queueUrl)
				.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
						QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
			.join()
			.attributes();
		return attributes.values().stream().mapToLong(Long::parseLong).sum();
	}

}
