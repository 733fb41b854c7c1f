package dev.eventbus.spi;

/**
 * Lifecycle state of a subscription.
 */
public enum SubscriptionState {

	/** Connecting or joining the group. */
	STARTING,

	/**
	 * Receiving: every message sent from now on reaches the group (on Kafka, for example,
	 * once partitions are assigned or the new group reads from the earliest offset).
	 */
	RUNNING,

	/** Running but cut off from the broker; the adapter is reconnecting. */
	RECONNECTING,

	/** Closing: no new deliveries, in-flight ones draining. */
	STOPPING,

	/** Closed. */
	STOPPED,

	/** Stopped by an error it cannot recover from. */
	FAILED

}
