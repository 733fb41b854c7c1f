package dev.eventbus.kafka;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the conformance suite on the Kafka adapter against an embedded KRaft broker of
 * {@value EmbeddedKafka#PARTITIONS} partitions per topic, started before the cases and
 * stopped after them. The broker restart case runs against a broker in a child JVM
 * instead, the only kind that can be stopped and started again on the same port and data.
 */
@ExtendWith(KafkaConformanceTest.CurrentCase.class)
class KafkaConformanceTest extends AdapterConformanceSuite {

	private static final String BROKER_RESTART_CASE = "publishingAndConsumingContinueAcrossBrokerRestart";

	private static @Nullable EmbeddedKafka broker;

	private static @Nullable String currentCase;

	private @Nullable ChildProcessKafkaBroker restartableBroker;

	@BeforeAll
	static void startBroker() {
		broker = EmbeddedKafka.start();
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@AfterEach
	void stopRestartableBroker() {
		if (this.restartableBroker != null) {
			this.restartableBroker.close();
			this.restartableBroker = null;
		}
	}

	@Override
	protected EventBusAdapter createAdapter() {
		if (BROKER_RESTART_CASE.equals(currentCase)) {
			if (this.restartableBroker == null) {
				this.restartableBroker = ChildProcessKafkaBroker.start();
			}
			return EmbeddedKafka.adapter(this.restartableBroker.bootstrapServers());
		}
		return broker.adapter();
	}

	@Override
	protected ConformanceFeatures features() {
		return super.features().withBrokerRestart(true);
	}

	@Override
	protected void restartBroker() {
		this.restartableBroker.restart();
	}

	/**
	 * Records of the topic the group has not committed: what it has not read, and what it
	 * read and did not acknowledge.
	 */
	@Override
	protected long messagesLeftAtBroker(String destination, String group) {
		KafkaTopics topics = new KafkaTopics(
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), EmbeddedKafka.SETTINGS);
		try {
			return topics.lag(group, destination).join();
		}
		finally {
			topics.close();
		}
	}

	@Override
	protected Duration redeliveryTimeout() {
		return Duration.ofSeconds(30);
	}

	@Override
	protected Duration receiveTimeout() {
		return Duration.ofSeconds(30);
	}

	/**
	 * Records which case runs, before the suite creates its first adapter.
	 */
	static final class CurrentCase implements BeforeEachCallback {

		@Override
		public void beforeEach(ExtensionContext context) {
			currentCase = context.getRequiredTestMethod().getName();
		}

	}

}
