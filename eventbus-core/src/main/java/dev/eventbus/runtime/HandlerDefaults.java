package dev.eventbus.runtime;

import java.util.Objects;

/**
 * What a handler gets for every attribute its {@code @EventHandler} leaves unset. Immutable.
 *
 * @param group consumer group
 * @param concurrency events handled in parallel per handler and instance
 * @param retry retry policy
 */
public record HandlerDefaults(String group, int concurrency, RetrySettings retry) {

	/** Group {@code application}, concurrency 1, {@link RetrySettings#DEFAULTS}. */
	public static final HandlerDefaults DEFAULTS = new HandlerDefaults("application", 1, RetrySettings.DEFAULTS);

	public HandlerDefaults {
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(retry, "retry");
		if (group.isBlank()) {
			throw new IllegalArgumentException("group must not be empty");
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
	}

	public HandlerDefaults withGroup(String newGroup) {
		return new HandlerDefaults(newGroup, this.concurrency, this.retry);
	}

	public HandlerDefaults withConcurrency(int newConcurrency) {
		return new HandlerDefaults(this.group, newConcurrency, this.retry);
	}

	public HandlerDefaults withRetry(RetrySettings newRetry) {
		return new HandlerDefaults(this.group, this.concurrency, newRetry);
	}

}
