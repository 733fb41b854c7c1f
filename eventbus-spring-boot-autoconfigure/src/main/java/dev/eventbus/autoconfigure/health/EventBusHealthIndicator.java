package dev.eventbus.autoconfigure.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.SubscriptionState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * {@link HealthIndicator} of an {@link EventBus}: the connectivity its adapter reports
 * and the state of each subscription.
 * <p>
 * {@code UP} when the adapter is up, the bus is running and no subscription has
 * {@code FAILED}; {@code DOWN} when the adapter is down or a subscription has failed,
 * with a {@code reason}; {@code OUT_OF_SERVICE} when the bus is not running (before
 * start-up completes and during shutdown) or a subscription is still starting (it cannot
 * receive yet, so the instance is not ready); {@code DOWN} with the exception when the
 * adapter's health check throws. Details: {@code adapter} (its name),
 * {@code adapterDetails} (what the adapter checked, never secrets) and
 * {@code subscriptions} (handler, destination, group, state and adapter figures of each).
 * Thread safe.
 */
public class EventBusHealthIndicator extends AbstractHealthIndicator {

	private final EventBus eventBus;

	/**
	 * Create an indicator.
	 * @param eventBus the bus
	 */
	public EventBusHealthIndicator(EventBus eventBus) {
		super("Event bus health check failed");
		Assert.notNull(eventBus, "'eventBus' must not be null");
		this.eventBus = eventBus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		AdapterHealth adapterHealth = this.eventBus.adapter().health();
		List<SubscriptionView> subscriptions = this.eventBus.subscriptions();
		builder.withDetail("adapter", this.eventBus.adapter().name());
		builder.withDetail("adapterDetails", adapterHealth.details());
		builder.withDetail("subscriptions", describe(subscriptions));
		long lost = this.eventBus.statistics().deadLettersLostCount();
		if (lost > 0) {
			builder.withDetail("deadLettersLost", lost);
			builder.withDetail("lastDeadLetterLost", String.valueOf(this.eventBus.statistics().lastDeadLetterLost()));
		}
		List<String> failed = inState(subscriptions, SubscriptionState.FAILED);
		List<String> starting = inState(subscriptions, SubscriptionState.STARTING);
		if (!adapterHealth.up()) {
			builder.down().withDetail("reason", "adapter " + this.eventBus.adapter().name() + " is down");
		}
		else if (!failed.isEmpty()) {
			builder.down().withDetail("reason", "subscription(s) failed: " + String.join(", ", failed));
		}
		else if (!this.eventBus.isRunning()) {
			builder.outOfService().withDetail("reason", "event bus is not running");
		}
		else if (!starting.isEmpty()) {
			builder.outOfService().withDetail("reason", "subscription(s) starting: " + String.join(", ", starting));
		}
		else {
			builder.up();
		}
	}

	private static List<Map<String, Object>> describe(List<SubscriptionView> subscriptions) {
		List<Map<String, Object>> described = new ArrayList<>();
		for (SubscriptionView subscription : subscriptions) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", subscription.name());
			details.put("destination", subscription.destination());
			details.put("group", subscription.group());
			details.put("handlers", subscription.handlers());
			details.put("state", subscription.state().name());
			details.put("details", subscription.details());
			described.add(details);
		}
		return described;
	}

	private static List<String> inState(List<SubscriptionView> subscriptions, SubscriptionState state) {
		List<String> matching = new ArrayList<>();
		for (SubscriptionView subscription : subscriptions) {
			if (subscription.state() == state) {
				matching.add(subscription.name());
			}
		}
		return matching;
	}

}
