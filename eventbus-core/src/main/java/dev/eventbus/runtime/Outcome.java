package dev.eventbus.runtime;

/**
 * How one handler ended with one delivery.
 */
public enum Outcome {

	/** The handler returned. */
	SUCCESS("success"),

	/** The handler failed and the event is delivered again after a backoff delay. */
	RETRY("retry"),

	/**
	 * The handler failed for the last time, or the event could not be decoded:
	 * dead-lettered.
	 */
	DEAD_LETTERED("dead-letter"),

	/** The handler's condition was false: acknowledged without invoking it. */
	SKIPPED("skipped"),

	/**
	 * An idempotent handler had taken the event before: acknowledged without invoking it.
	 */
	DUPLICATE("duplicate"),

	/**
	 * The handler failed for the last time and has dead-lettering off: logged and
	 * acknowledged.
	 */
	DROPPED("dropped");

	private final String tag;

	Outcome(String tag) {
		this.tag = tag;
	}

	/**
	 * The value of the {@code outcome} tag of the {@code eventbus.handle} metrics.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Whether the handler is done with the event: every outcome but {@link #RETRY}.
	 * @return whether it is final
	 */
	public boolean isFinal() {
		return this != RETRY;
	}

}
