package dev.eventbus.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running subscription. Thread safe.
 */
public interface Subscription {

	/**
	 * What this subscription receives.
	 * @return the spec
	 */
	SubscriptionSpec spec();

	/**
	 * Current state.
	 * @return the state
	 */
	SubscriptionState state();

	/**
	 * Adapter-specific figures for health and metrics, such as {@code lag} or
	 * {@code pending}. Called often (health checks, gauges, tests): it must return at
	 * once, from figures refreshed in the background, and never wait for the broker.
	 * @return the figures, possibly empty
	 */
	default Map<String, Object> details() {
		return Map.of();
	}

	/**
	 * Widen the types this subscription receives, for a handler that joined it: adapters
	 * that filter by type at the broker ({@link SubscriptionSpec#types()}) add the
	 * patterns; the others need do nothing, which is the default.
	 * @param types type patterns of the handler that joined
	 */
	default void addTypes(List<String> types) {
	}

	/**
	 * Stop receiving, then wait up to the timeout for in-flight deliveries to be settled.
	 * Deliveries still unsettled after it are left to the broker's redelivery.
	 * Idempotent; never throws.
	 * @param drainTimeout the longest wait for in-flight deliveries
	 */
	void close(Duration drainTimeout);

}
