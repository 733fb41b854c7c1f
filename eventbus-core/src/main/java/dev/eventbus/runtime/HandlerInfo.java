package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;

import dev.eventbus.spi.BatchSpec;
import org.jspecify.annotations.Nullable;

/**
 * What interceptors, the actuator endpoint and health see of a registered handler.
 *
 * @param id handler id, stable across instances
 * @param beanName bean declaring the method, or {@code null} for a handler subscribed in
 * code
 * @param method the method as {@code Class.method(Param)}, or a description of a handler
 * subscribed in code
 * @param types type patterns it receives
 * @param group consumer group
 * @param destinations destinations it receives from
 * @param concurrency events handled in parallel by its subscription in this instance
 * @param condition SpEL condition over the envelope, or {@code null}
 * @param retry retry policy
 * @param deadLetter whether exhausted events are dead-lettered
 * @param timeout longest a handling may run, or {@code null}
 * @param isolated whether it has a subscription of its own instead of sharing its group's
 * (always, for a batch handler)
 * @param batch how its batches are formed, for a batch handler; {@code null} for a
 * handler of one event at a time
 * @param idempotent whether it applies each event once through the bus's inbox
 */
public record HandlerInfo(String id, @Nullable String beanName, String method, List<String> types, String group,
		List<String> destinations, int concurrency, @Nullable String condition, RetrySettings retry, boolean deadLetter,
		@Nullable Duration timeout, boolean isolated, @Nullable BatchSpec batch, boolean idempotent) {

	public HandlerInfo {
		types = List.copyOf(types);
		destinations = List.copyOf(destinations);
	}

	/**
	 * The consumer group on the broker: the group, or {@code <group>.<id>} for an
	 * isolated handler.
	 * @return the broker-side group
	 */
	public String subscriptionGroup() {
		return this.isolated ? this.group + "." + this.id : this.group;
	}

}
