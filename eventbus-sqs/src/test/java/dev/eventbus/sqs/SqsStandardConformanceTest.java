package dev.eventbus.sqs;

import java.time.Duration;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the conformance suite on standard queues in ElasticMQ. Standard queues do not order, so
 * case 8 is skipped; every other case runs, the broker restart included. A 2 second visibility
 * timeout bounds crash recovery.
 */
class SqsStandardConformanceTest extends AdapterConformanceSuite {

	private static ElasticMq broker;

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
		return new SqsEventBusAdapter(broker.client(), SqsTestSettings.standard());
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
