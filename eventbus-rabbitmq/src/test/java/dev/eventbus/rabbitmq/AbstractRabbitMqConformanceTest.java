package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.Set;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the conformance suite against a real RabbitMQ: the {@link RabbitMqBroker#shared()
 * shared broker} for every case but the broker restart, which runs on a node the test
 * owns ({@link RabbitMqBroker#owned()}), since a shared broker is never restarted. Each
 * adapter the suite creates is an application instance with connections of its own; a
 * crash closes them at once, without acknowledging anything. What the broker still holds
 * for a group is read with {@code rabbitmqctl}. Queues and exchanges the cases declared
 * on the shared broker are deleted afterwards. Subclasses choose whether the adapter
 * orders per key.
 */
abstract class AbstractRabbitMqConformanceTest extends AdapterConformanceSuite {

	private static final String BROKER_RESTART_CASE = "publishingAndConsumingContinueAcrossBrokerRestart";

	private static final Set<String> queues = TestInstance.names();

	private static final Set<String> exchanges = TestInstance.names();

	/** Chooses the broker before the suite creates the case's first adapter. */
	@RegisterExtension
	static final BeforeEachCallback brokerChooser = (context) -> ((AbstractRabbitMqConformanceTest) context
		.getRequiredTestInstance()).restartCase = BROKER_RESTART_CASE.equals(context.getRequiredTestMethod().getName());

	private volatile boolean restartCase;

	@AfterAll
	static void deleteWhatTheCasesDeclared() {
		RabbitMqBroker.shared().delete(queues, exchanges);
	}

	/**
	 * Settings of the adapters under test.
	 * @return the settings
	 */
	protected abstract RabbitMqAdapterSettings settings();

	@Override
	protected EventBusAdapter createAdapter() {
		return new TestInstance(broker(), settings().withRecoveryInterval(Duration.ofSeconds(1)), queues, exchanges);
	}

	private RabbitMqBroker broker() {
		return this.restartCase ? RabbitMqBroker.owned() : RabbitMqBroker.shared();
	}

	@Override
	protected ConformanceFeatures features() {
		return super.features().withBrokerRestart(true);
	}

	@Override
	protected void restartBroker() {
		RabbitMqBroker.owned().restart();
	}

	@Override
	protected void crash(EventBusAdapter instance, Subscription subscription) {
		((TestInstance) instance).crash();
	}

	@Override
	protected long messagesLeftAtBroker(String destination, String group) {
		return broker().messages(RabbitMqTopology.groupQueue(destination, group));
	}

	@Override
	protected Duration redeliveryTimeout() {
		return Duration.ofSeconds(20);
	}

}
