package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a handler subscribed in code with {@link EventBus#subscribe} receives events; what
 * is left {@code null} takes the bus's handler defaults, as an unset
 * {@code @EventHandler} attribute does.
 *
 * @param id handler id, unique on the bus; {@code null} for one made from the pattern
 * @param group consumer group, or {@code null}
 * @param destinations destinations, or empty for those the routes can send the pattern's
 * types to
 * @param concurrency events handled in parallel, or {@code null}
 * @param retry retry policy, or {@code null}
 * @param deadLetter whether exhausted events are dead-lettered
 * @param timeout longest a handling may run, or {@code null}
 * @param isolated whether the handler gets a subscription of its own
 */
public record SubscribeOptions(@Nullable String id, @Nullable String group, List<String> destinations,
		@Nullable Integer concurrency, @Nullable RetrySettings retry, boolean deadLetter, @Nullable Duration timeout,
		boolean isolated) {

	/** Every default: the bus's group, routed destinations, dead-lettering on. */
	public static final SubscribeOptions DEFAULTS = new SubscribeOptions(null, null, List.of(), null, null, true, null,
			false);

	public SubscribeOptions {
		destinations = List.copyOf(destinations);
	}

	public SubscribeOptions withId(String newId) {
		return new SubscribeOptions(newId, this.group, this.destinations, this.concurrency, this.retry, this.deadLetter,
				this.timeout, this.isolated);
	}

	public SubscribeOptions withGroup(String newGroup) {
		return new SubscribeOptions(this.id, newGroup, this.destinations, this.concurrency, this.retry, this.deadLetter,
				this.timeout, this.isolated);
	}

	public SubscribeOptions withDestinations(String... newDestinations) {
		return new SubscribeOptions(this.id, this.group, List.of(newDestinations), this.concurrency, this.retry,
				this.deadLetter, this.timeout, this.isolated);
	}

	public SubscribeOptions withConcurrency(int newConcurrency) {
		return new SubscribeOptions(this.id, this.group, this.destinations, newConcurrency, this.retry, this.deadLetter,
				this.timeout, this.isolated);
	}

	public SubscribeOptions withRetry(RetrySettings newRetry) {
		return new SubscribeOptions(this.id, this.group, this.destinations, this.concurrency, newRetry, this.deadLetter,
				this.timeout, this.isolated);
	}

	public SubscribeOptions withDeadLetter(boolean newDeadLetter) {
		return new SubscribeOptions(this.id, this.group, this.destinations, this.concurrency, this.retry, newDeadLetter,
				this.timeout, this.isolated);
	}

	public SubscribeOptions withTimeout(Duration newTimeout) {
		return new SubscribeOptions(this.id, this.group, this.destinations, this.concurrency, this.retry,
				this.deadLetter, newTimeout, this.isolated);
	}

	public SubscribeOptions withIsolated(boolean newIsolated) {
		return new SubscribeOptions(this.id, this.group, this.destinations, this.concurrency, this.retry,
				this.deadLetter, this.timeout, newIsolated);
	}

}
