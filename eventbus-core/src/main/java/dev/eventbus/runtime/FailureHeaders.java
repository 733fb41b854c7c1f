package dev.eventbus.runtime;

import java.util.Set;

/**
 * Headers the runtime adds to a dead letter. The original headers and body are kept
 * unchanged.
 */
public final class FailureHeaders {

	/** Class name of the last failure. */
	public static final String EXCEPTION = "eventbus-dlq-exception";

	/** Message of the last failure, at most 1,000 characters. */
	public static final String MESSAGE = "eventbus-dlq-message";

	/** Id of the handler that failed. */
	public static final String HANDLER = "eventbus-dlq-handler";

	/**
	 * Consumer group of the subscription on the broker (the group, or
	 * {@code <group>.<handler id>} when isolated).
	 */
	public static final String GROUP = "eventbus-dlq-group";

	/** Deliveries made. */
	public static final String ATTEMPTS = "eventbus-dlq-attempts";

	/** ISO-8601 time of the first failure seen by this instance. */
	public static final String FIRST_FAILURE = "eventbus-dlq-first-failure";

	/** ISO-8601 time of the last failure. */
	public static final String LAST_FAILURE = "eventbus-dlq-last-failure";

	/** Destination the message was read from; replays go back there. */
	public static final String DESTINATION = "eventbus-dlq-destination";

	/** Broker id of the original message. */
	public static final String MESSAGE_ID = "eventbus-dlq-message-id";

	/**
	 * Set on a replayed message: only the subscription of this consumer group handles it,
	 * every other handler of the destination acknowledges and skips it.
	 */
	public static final String REPLAY_GROUP = "eventbus-replay-group";

	/**
	 * Set on a replayed message: within the subscription of {@link #REPLAY_GROUP}, only
	 * this handler runs, so handlers that already succeeded do not see the event again.
	 */
	public static final String REPLAY_HANDLER = "eventbus-replay-handler";

	/** Every failure header. */
	public static final Set<String> ALL = Set.of(EXCEPTION, MESSAGE, HANDLER, GROUP, ATTEMPTS, FIRST_FAILURE,
			LAST_FAILURE, DESTINATION, MESSAGE_ID);

	private FailureHeaders() {
	}

}
