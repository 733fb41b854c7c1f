package dev.eventbus.sqs;

import java.time.Duration;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the conformance suite against ElasticMQ in the test JVM, one server per test
 * class, with the broker restart case on. A 2 second visibility timeout bounds crash
 * recovery. Subclasses choose the kind of queue.
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

}
