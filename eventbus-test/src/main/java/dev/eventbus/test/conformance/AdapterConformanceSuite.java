package dev.eventbus.test.conformance;

import java.time.Duration;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every adapter passes: extend it, implement
 * {@link #createAdapter()} against a real broker, and describe the adapter with
 * {@link #features()}. Cases that need a feature the adapter lacks are skipped with a
 * reason naming it. <pre class="code">
 * class KafkaConformanceTests extends AdapterConformanceSuite {
 *
 *     &#64;Override
 *     protected EventBusAdapter createAdapter() {
 *         return KafkaEventBusAdapter.create(producerConfigs, consumerConfigs, Duration.ofMillis(200),
 *                 KafkaAdapterSettings.DEFAULTS);
 *     }
 *
 * }
 * </pre>
 * <p>
 * Each case uses its own destinations and groups (a random suffix per case), so cases may
 * run in parallel. Readers tolerate duplicates, never loss: the core assertion compares
 * the ids sent with the ids received and reports both the missing and the unexpected
 * ones. Every wait is bounded by {@link #receiveTimeout()} or
 * {@link #redeliveryTimeout()}. Subscriptions are opened before events are published, so
 * adapters that are not persistent pass too. Adapters, subscriptions and buses a case
 * opened are closed after it.
 */
public abstract class AdapterConformanceSuite {

	private @Nullable ConformanceHarness harness;

	private ConformanceFeatures features = new ConformanceFeatures(false, false, false, false, false);

	@BeforeEach
	void openCase() {
		this.harness = new ConformanceHarness(this::createAdapter, receiveTimeout());
		this.features = features();
	}

	@AfterEach
	void closeCase() throws Exception {
		ConformanceHarness opened = this.harness;
		this.harness = null;
		if (opened != null) {
			opened.close();
		}
	}

	/**
	 * Create an adapter against the test's broker. Called at least once per case, and
	 * again where a case needs another application instance: adapters created for one
	 * case must share the broker. The suite closes every adapter it created.
	 * @return a new adapter
	 */
	protected abstract EventBusAdapter createAdapter();

	/**
	 * What the adapter supports. Defaults to its {@link EventBusAdapter#capabilities()
	 * capabilities} with a broker that cannot be restarted.
	 * @return the features
	 */
	protected ConformanceFeatures features() {
		return ConformanceFeatures.of(adapter().capabilities());
	}

	/**
	 * Stop and start the broker, returning once it accepts connections again. Only called
	 * when {@link ConformanceFeatures#brokerRestart()}.
	 */
	protected void restartBroker() {
		throw new UnsupportedOperationException("restartBroker() must be implemented when brokerRestart is true");
	}

	/**
	 * How long a delivery left unsettled by a crashed or closed consumer may take to
	 * reach another consumer (session timeout, visibility timeout, claim idle time).
	 * @return the timeout, 30 seconds by default
	 */
	protected Duration redeliveryTimeout() {
		return Duration.ofSeconds(30);
	}

	/**
	 * How long an accepted event may take to be received, and a send to be accepted.
	 * @return the timeout, 30 seconds by default
	 */
	protected Duration receiveTimeout() {
		return Duration.ofSeconds(30);
	}

	/**
	 * Make a consumer die in the middle of a handler, without settling its delivery. By
	 * default its subscription closes without draining and its adapter closes; adapters
	 * may kill it harder.
	 * @param instance the adapter of the consumer
	 * @param subscription the consumer's subscription
	 */
	protected void crash(EventBusAdapter instance, Subscription subscription) {
		subscription.close(Duration.ZERO);
		instance.close();
	}

	/**
	 * How many messages of a destination the broker still holds for a consumer group,
	 * read or not, without settling them: committed offsets behind the end, pending
	 * entries, messages in a queue. Asked by the batch cases after everything was
	 * settled.
	 * @param destination the destination
	 * @param group the consumer group on the broker
	 * @return the count, or -1 (the default) when the adapter's test cannot tell
	 */
	protected long messagesLeftAtBroker(String destination, String group) {
		return -1;
	}

	/**
	 * The adapter created first for the current case.
	 * @return the adapter
	 */
	protected final EventBusAdapter adapter() {
		return harness().adapter();
	}

	private ConformanceHarness harness() {
		ConformanceHarness current = this.harness;
		if (current == null) {
			throw new IllegalStateException("No conformance case is running");
		}
		return current;
	}

	/**
	 * Case 1: 100 events keep id, type, source, time, subject, correlation and causation
	 * ids, headers and payload.
	 */
	@Test
	void roundTripKeepsEveryAttributeOfTheEvent() {
		new DeliveryCases(harness()).roundTrip();
	}

	/**
	 * Case 2: 10 publisher threads, 5,000 events, 5 consumers in one group: every event
	 * handled.
	 */
	/**
	 * Wire format: text and binary data keep their content type and bytes, and an event
	 * without a time keeps none.
	 */
	@Test
	void dataOfEveryContentTypeAndAnAbsentTimeSurviveTheTrip() {
		new DeliveryCases(harness()).contentTypesAndAbsentTime();
	}

	@Test
	void concurrentPublishersAndCompetingConsumersLoseNothing() {
		new DeliveryCases(harness()).competingConsumers();
	}

	/**
	 * Case 3: 20 destinations of 100 events each: every subscription gets exactly its
	 * own.
	 */
	@Test
	void eachDestinationDeliversExactlyItsOwnEvents() {
		new DeliveryCases(harness()).destinationIsolation();
	}

	/** Case 4: deliveries given back twice are redelivered until handled. */
	@Test
	void failedDeliveriesAreRedeliveredUntilHandled() {
		new DeliveryCases(harness()).redeliveryAfterFailure(redeliveryTimeout());
	}

	/**
	 * Case 5: consumers that fail every delivery and close leave everything to the next
	 * consumer.
	 */
	@Test
	void failedDeliveriesAreNotCommittedForTheNextConsumer() {
		require(this.features.consumerGroups(), "consumer groups that keep their place while no member is subscribed");
		new DeliveryCases(harness()).noCommitOnFailure(redeliveryTimeout());
	}

	/**
	 * Case 6: 5,000 events read in batches by consumers opened and closed in turn: none
	 * lost.
	 */
	@Test
	void consumersOpenedAndClosedInTurnResumeWithoutLoss() {
		require(this.features.persistent() || this.features.consumerGroups(),
				"persistence or consumer groups that keep their place while no member is subscribed");
		new LifecycleCases(harness()).resumeAfterClose(this.features.redeliversUnacked(), redeliveryTimeout());
	}

	/**
	 * Case 7: 10 subscriptions closed at once neither hang nor throw; a new one gets
	 * every new event.
	 */
	@Test
	void subscriptionsClosedConcurrentlyNeitherHangNorThrow() throws InterruptedException {
		new LifecycleCases(harness()).concurrentClose();
	}

	/**
	 * Case 8: 1,000 events over 16 subjects arrive in publish order within each subject,
	 * one at a time.
	 */
	@Test
	void eventsOfOneSubjectArriveInPublishOrder() {
		require(this.features.orderedPerKey(), "ordering per key");
		new GroupCases(harness()).orderingPerSubject();
	}

	/**
	 * Case 9: an adapter closed right after 10,000 asynchronous sends loses none of them.
	 */
	@Test
	void closingAPublisherFlushesItsAcceptedSends() {
		new LifecycleCases(harness()).closeFlushes();
	}

	/**
	 * Case 10: two groups each receive every event, each exactly once within the group.
	 */
	@Test
	void everyGroupReceivesEveryEventOnce() {
		require(this.features.consumerGroups(), "consumer groups");
		new GroupCases(harness()).consumerGroups();
	}

	/**
	 * Case 11: photo.* and *.processing.* select exactly the matching types, through the
	 * runtime.
	 */
	@Test
	void wildcardTypePatternsSelectMatchingEvents() {
		new RuntimeCases(harness()).wildcardTypes();
	}

	/**
	 * Case 12: a handler that always fails is retried with backoff, then dead-lettered;
	 * later events flow.
	 */
	@Test
	void failingHandlerIsRetriedWithBackoffThenDeadLettered() {
		new RuntimeCases(harness()).retryThenDeadLetter();
	}

	/**
	 * Case 13: messages that are not JSON or have no type are dead-lettered at once
	 * without blocking.
	 */
	@Test
	void poisonMessagesAreDeadLetteredAtOnceWithoutBlockingOthers() {
		new RuntimeCases(harness()).poisonMessage();
	}

	/**
	 * Case 14: the unsettled delivery of a consumer that crashed reaches a surviving
	 * consumer.
	 */
	@Test
	void deliveryOfCrashedConsumerIsRedeliveredToSurvivor() {
		require(this.features.consumerGroups(), "consumer groups");
		require(this.features.redeliversUnacked(), "redelivery of unsettled deliveries");
		new GroupCases(harness()).crashRecovery(this::crash, redeliveryTimeout());
	}

	/**
	 * Case 15: publishing and consuming continue across a broker restart; every accepted
	 * event arrives.
	 */
	@Test
	void publishingAndConsumingContinueAcrossBrokerRestart() {
		require(this.features.brokerRestart(), "a broker the test can restart (ConformanceFeatures.brokerRestart)");
		new GroupCases(harness()).brokerRestart(this::restartBroker, redeliveryTimeout());
	}

	/**
	 * Case 16: closing while handlers run lets them finish and acknowledges them; nothing
	 * in flight is lost.
	 */
	@Test
	void gracefulShutdownLetsInFlightHandlersFinish() {
		new LifecycleCases(harness()).gracefulShutdown(this.features.consumerGroups());
	}

	/**
	 * Case 24: two handlers share a subscription; one fails twice: the other runs once,
	 * one acknowledgement after both.
	 */
	@Test
	void sharedSubscriptionRetriesOnlyTheFailingHandlerAndAcknowledgesOnce() {
		new SharedSubscriptionCases(harness()).oneHandlerFailsThenSucceeds();
	}

	/**
	 * Case 25: one handler of a shared subscription dead-letters: one dead letter naming
	 * it, the event acknowledged.
	 */
	@Test
	void sharedSubscriptionDeadLettersForTheFailingHandlerOnly() {
		new SharedSubscriptionCases(harness()).oneHandlerDeadLetters();
	}

	/**
	 * Case 26: three handlers of one subscription over 16 subjects keep per-subject
	 * order.
	 */
	@Test
	void sharedSubscriptionKeepsOrderPerSubjectForEveryHandler() {
		require(this.features.orderedPerKey(), "ordering per key");
		new SharedSubscriptionCases(harness()).orderAcrossHandlers();
	}

	/**
	 * Case 27: a handler subscribed in code receives events until its registration is
	 * closed.
	 */
	@Test
	void handlerSubscribedInCodeReceivesUntilClosed() {
		new SharedSubscriptionCases(harness()).subscribeAndCloseInCode();
	}

	/**
	 * Case 17: 10 events to a batch handler, items 3 and 7 failing: the other 8 are
	 * handled and settled once, 3 and 7 are retried and dead-lettered, and the broker
	 * holds nothing for the group afterwards.
	 */
	@Test
	void batchItemsThatFailAreRetriedAndDeadLetteredOnTheirOwn() {
		new BatchCases(harness()).partialFailure(this::messagesLeftAtBroker);
	}

	/**
	 * Case 18: in an ordered batch, a retried item holds back the later items of its
	 * subject only.
	 */
	@Test
	void batchItemRetriedHoldsBackOnlyTheLaterItemsOfItsSubject() {
		require(this.features.orderedPerKey(), "ordering per key");
		new BatchCases(harness()).orderedHoldBack();
	}

	/**
	 * A batch handler that throws fails every item: each is retried and dead-lettered on
	 * its own.
	 */
	@Test
	void batchThatThrowsRetriesAndDeadLettersEveryItemOnItsOwn() {
		new BatchCases(harness()).wholeBatchFailure();
	}

	private void require(boolean feature, String name) {
		if (!feature) {
			Assumptions.abort("The adapter does not support " + name + ": " + this.features);
		}
	}

}
