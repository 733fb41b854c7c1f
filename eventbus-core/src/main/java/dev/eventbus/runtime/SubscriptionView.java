package dev.eventbus.runtime;

import java.util.Map;

import dev.eventbus.spi.SubscriptionState;

/**
 * A snapshot of one running subscription: one handler on one destination.
 *
 * @param handlerId the handler
 * @param destination the destination
 * @param group the handler's group
 * @param consumerGroup the group on the broker ({@code <group>.<handler id>})
 * @param state its state
 * @param details adapter figures such as lag and pending
 */
public record SubscriptionView(String handlerId, String destination, String group, String consumerGroup,
		SubscriptionState state, Map<String, Object> details) {

}
