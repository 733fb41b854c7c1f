package dev.eventbus.sqs;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link SqsEventBusAdapter}: what the bus adds to the SQS client, whose
 * region, credentials and endpoint are configured where the client is built. Immutable.
 *
 * @param fifo use FIFO queues ({@code .fifo} suffix, MessageGroupId = subject,
 * MessageDeduplicationId = event id)
 * @param autoCreateQueues create missing queues (group queues on subscribe, destination
 * queues on send)
 * @param visibilityTimeout how long a received message stays invisible before another
 * consumer may get it; extended while its handler runs, so it bounds how fast a crashed
 * consumer's message returns
 * @param waitTime long-poll wait of each receive, at most 20 seconds
 * @param maxInFlightMessages received but unsettled messages per subscription at most;
 * the subscription of a batch handler holds its
 * {@link dev.eventbus.spi.SubscriptionSpec#capacity() capacity} instead
 * @param sendLinger how long a send, delete or visibility change waits for others to fill
 * a batch of up to 10
 * @param deadLetterSuffix suffix of dead-letter destinations, which are single queues
 * without fan-out
 * @param nativeRedrive give auto-created group queues a redrive policy to the dead-letter
 * queue
 * @param redriveExtraReceives receives beyond the handler's max attempts before native
 * redrive moves a message
 * @param groupRefreshInterval how long the group queues found for a destination are
 * trusted before they are listed again, by publishers and ingress movers: a group that
 * another application creates receives what they send at the latest this long after its
 * queue appeared; more than zero and at most a day
 * @param requestTimeout the longest wait for queue administration calls (health, lookups,
 * creation)
 * @param ingressQueues the ingress queue of a destination, by destination, as a queue URL
 * or name, for destinations whose ingress is not the queue of their own name
 */
public record SqsAdapterSettings(boolean fifo, boolean autoCreateQueues, Duration visibilityTimeout, Duration waitTime,
		int maxInFlightMessages, Duration sendLinger, String deadLetterSuffix, boolean nativeRedrive,
		int redriveExtraReceives, Duration groupRefreshInterval, Duration requestTimeout,
		Map<String, String> ingressQueues) {

	/**
	 * Standard queues, auto-created, 30 s visibility, 10 s long polls, 20 messages in
	 * flight, each destination's ingress the queue of its name.
	 */
	public static final SqsAdapterSettings DEFAULTS = new SqsAdapterSettings(false, true, Duration.ofSeconds(30),
			Duration.ofSeconds(10), 20, Duration.ofMillis(10), ".dlq", true, 2, Duration.ofSeconds(30),
			Duration.ofSeconds(5));

	/**
	 * Settings whose destinations all have the ingress queue of their own name.
	 */
	public SqsAdapterSettings(boolean fifo, boolean autoCreateQueues, Duration visibilityTimeout, Duration waitTime,
			int maxInFlightMessages, Duration sendLinger, String deadLetterSuffix, boolean nativeRedrive,
			int redriveExtraReceives, Duration groupRefreshInterval, Duration requestTimeout) {
		this(fifo, autoCreateQueues, visibilityTimeout, waitTime, maxInFlightMessages, sendLinger, deadLetterSuffix,
				nativeRedrive, redriveExtraReceives, groupRefreshInterval, requestTimeout, Map.of());
	}

	public SqsAdapterSettings {
		ingressQueues = Map.copyOf(Objects.requireNonNull(ingressQueues, "ingressQueues"));
		Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
		Objects.requireNonNull(waitTime, "waitTime");
		Objects.requireNonNull(sendLinger, "sendLinger");
		Objects.requireNonNull(deadLetterSuffix, "deadLetterSuffix");
		Objects.requireNonNull(groupRefreshInterval, "groupRefreshInterval");
		Objects.requireNonNull(requestTimeout, "requestTimeout");
		if (visibilityTimeout.compareTo(Duration.ofSeconds(1)) < 0
				|| visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
			throw new IllegalArgumentException(
					"visibilityTimeout must be between 1 second and 12 hours, was " + visibilityTimeout);
		}
		if (waitTime.isNegative() || waitTime.compareTo(Duration.ofSeconds(20)) > 0) {
			throw new IllegalArgumentException("waitTime must be between 0 and 20 seconds, was " + waitTime);
		}
		if (maxInFlightMessages < 1) {
			throw new IllegalArgumentException("maxInFlightMessages must be at least 1, was " + maxInFlightMessages);
		}
		if (redriveExtraReceives < 0) {
			throw new IllegalArgumentException(
					"redriveExtraReceives must not be negative, was " + redriveExtraReceives);
		}
		if (deadLetterSuffix.isEmpty()) {
			throw new IllegalArgumentException("deadLetterSuffix must not be empty");
		}
		if (groupRefreshInterval.isNegative() || groupRefreshInterval.isZero()
				|| groupRefreshInterval.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException(
					"groupRefreshInterval must be more than zero and at most a day, was " + groupRefreshInterval);
		}
	}

	public SqsAdapterSettings withFifo(boolean fifo) {
		return new SqsAdapterSettings(fifo, this.autoCreateQueues, this.visibilityTimeout, this.waitTime,
				this.maxInFlightMessages, this.sendLinger, this.deadLetterSuffix, this.nativeRedrive,
				this.redriveExtraReceives, this.groupRefreshInterval, this.requestTimeout, this.ingressQueues);
	}

	public SqsAdapterSettings withTimeouts(Duration visibilityTimeout, Duration waitTime) {
		return new SqsAdapterSettings(this.fifo, this.autoCreateQueues, visibilityTimeout, waitTime,
				this.maxInFlightMessages, this.sendLinger, this.deadLetterSuffix, this.nativeRedrive,
				this.redriveExtraReceives, this.groupRefreshInterval, this.requestTimeout, this.ingressQueues);
	}

	public SqsAdapterSettings withSendLinger(Duration sendLinger) {
		return new SqsAdapterSettings(this.fifo, this.autoCreateQueues, this.visibilityTimeout, this.waitTime,
				this.maxInFlightMessages, sendLinger, this.deadLetterSuffix, this.nativeRedrive,
				this.redriveExtraReceives, this.groupRefreshInterval, this.requestTimeout, this.ingressQueues);
	}

	public SqsAdapterSettings withGroupRefreshInterval(Duration groupRefreshInterval) {
		return new SqsAdapterSettings(this.fifo, this.autoCreateQueues, this.visibilityTimeout, this.waitTime,
				this.maxInFlightMessages, this.sendLinger, this.deadLetterSuffix, this.nativeRedrive,
				this.redriveExtraReceives, groupRefreshInterval, this.requestTimeout, this.ingressQueues);
	}

	/**
	 * These settings with other ingress queues.
	 * @param ingressQueues the ingress queue URL or name by destination
	 * @return the settings
	 */
	public SqsAdapterSettings withIngressQueues(Map<String, String> ingressQueues) {
		return new SqsAdapterSettings(this.fifo, this.autoCreateQueues, this.visibilityTimeout, this.waitTime,
				this.maxInFlightMessages, this.sendLinger, this.deadLetterSuffix, this.nativeRedrive,
				this.redriveExtraReceives, this.groupRefreshInterval, this.requestTimeout, ingressQueues);
	}

}
