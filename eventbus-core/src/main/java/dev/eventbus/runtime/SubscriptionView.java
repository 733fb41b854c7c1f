package dev.eventbus.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.spi.SubscriptionState;

/**
 * A snapshot of one running subscription: the handlers of one consumer group on one
 * destination.
 *
 * @param name the subscription's name, {@code <group>@<destination>}
 * @param destination the destination
 * @param group the consumer group on the broker
 * @param handlers ids of the handlers it dispatches to
 * @param state its state
 * @param details adapter figures such as lag and pending
 */
public record SubscriptionView(String name, String destination, String group, List<String> handlers,
		SubscriptionState state, Map<String, Object> details) {

	public SubscriptionView {
		handlers = List.copyOf(handlers);
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

}
