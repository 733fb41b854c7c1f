package dev.eventbus.autoconfigure.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.SubscriptionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Meters of an {@link EventBus}, read from its {@link EventBusStatistics} and
 * subscriptions:
 * <ul>
 * <li>{@code eventbus.events.published} and {@code eventbus.events.publish.failed}:
 * publishes the adapter accepted or refused;</li>
 * <li>{@code eventbus.events.unmatched}: events whose type no handler of their
 * subscription takes;</li>
 * <li>{@code eventbus.dead.letters.lost}: messages dropped because their dead letter
 * could not be written, even after retries;</li>
 * <li>{@code eventbus.subscriptions.active}: subscriptions in the {@code RUNNING}
 * state;</li>
 * <li>per handler, tagged {@code handler} and {@code group}:
 * {@code eventbus.events.received}, {@code eventbus.events.handled},
 * {@code eventbus.events.failed}, {@code eventbus.events.skipped},
 * {@code eventbus.retries} and {@code eventbus.dead.letters};</li>
 * <li>per subscription whose details name a {@code lag} or {@code pending} figure (Kafka:
 * lag; Redis Streams and SQS: both), tagged {@code subscription}, {@code destination} and
 * {@code group}: {@code eventbus.consumer.lag} and {@code eventbus.consumer.pending},
 * {@code NaN} until the adapter has measured the figure.</li>
 * </ul>
 * <p>
 * Handlers are registered once every singleton exists and subscriptions open when the
 * context starts, after meter binders were bound, so the per-handler and per-subscription
 * meters are added again when the context is refreshed; adding them is idempotent. The
 * timers {@code eventbus.publish} and {@code eventbus.handle} come from the bus's
 * observations. Thread safe.
 */
public class EventBusMetrics implements MeterBinder, ApplicationListener<ContextRefreshedEvent> {

	private final EventBus eventBus;

	private final Map<MeterRegistry, Set<String>> registered = new ConcurrentHashMap<>();

	/**
	 * Create the meters of a bus.
	 * @param eventBus the bus
	 */
	public EventBusMetrics(EventBus eventBus) {
		this.eventBus = eventBus;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		EventBusStatistics statistics = this.eventBus.statistics();
		FunctionCounter.builder("eventbus.events.published", statistics, EventBusStatistics::publishedCount)
			.description("Events the adapter accepted")
			.register(registry);
		FunctionCounter.builder("eventbus.events.publish.failed", statistics, EventBusStatistics::publishFailedCount)
			.description("Events the adapter did not accept")
			.register(registry);
		FunctionCounter.builder("eventbus.events.unmatched", statistics, EventBusStatistics::unmatchedCount)
			.description("Events whose type no handler of the subscription that received them takes")
			.register(registry);
		FunctionCounter.builder("eventbus.dead.letters.lost", statistics, EventBusStatistics::deadLettersLostCount)
			.description("Messages dropped because their dead letter could not be written")
			.register(registry);
		Gauge.builder("eventbus.subscriptions.active", this.eventBus, EventBusMetrics::activeSubscriptions)
			.description("Subscriptions receiving events")
			.register(registry);
		this.registered.putIfAbsent(registry, ConcurrentHashMap.newKeySet());
		bindHandlers(registry);
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		this.registered.keySet().forEach(this::bindHandlers);
	}

	private void bindHandlers(MeterRegistry registry) {
		Set<String> registered = this.registered.get(registry);
		for (HandlerInfo handler : this.eventBus.handlers()) {
			if (registered.add("handler/" + handler.id())) {
				bindHandler(registry, handler);
			}
		}
		for (SubscriptionView subscription : this.eventBus.subscriptions()) {
			bindFigure(registry, registered, subscription, "lag", "eventbus.consumer.lag",
					"Events on the destination not yet read by the group");
			bindFigure(registry, registered, subscription, "pending", "eventbus.consumer.pending",
					"Events read by the group and not yet acknowledged");
		}
	}

	private void bindHandler(MeterRegistry registry, HandlerInfo handler) {
		Tags tags = Tags.of("handler", handler.id(), "group", handler.group());
		counter(registry, "eventbus.events.received", "Events received whose type the handler takes", handler,
				Counter.RECEIVED, tags);
		counter(registry, "eventbus.events.handled", "Events the handler completed", handler, Counter.HANDLED, tags);
		counter(registry, "eventbus.events.failed", "Handler invocations that threw", handler, Counter.FAILED, tags);
		counter(registry, "eventbus.events.skipped", "Events acknowledged without invoking the handler", handler,
				Counter.SKIPPED, tags);
		counter(registry, "eventbus.retries", "Deliveries given back for another attempt", handler, Counter.RETRIED,
				tags);
		counter(registry, "eventbus.dead.letters", "Events written to the dead-letter destination", handler,
				Counter.DEAD_LETTERED, tags);
		if (handler.idempotent()) {
			counter(registry, "eventbus.events.duplicate",
					"Events the idempotent handler had taken before, acknowledged without invoking it", handler,
					Counter.DUPLICATES, tags);
		}
		if (handler.batch() != null) {
			counter(registry, "eventbus.batches", "Batches the batch handler was invoked with", handler,
					Counter.BATCHES, tags);
		}
	}

	private void counter(MeterRegistry registry, String name, String description, HandlerInfo handler, Counter counter,
			Tags tags) {
		String handlerId = handler.id();
		FunctionCounter.builder(name, this.eventBus.statistics(), (statistics) -> statistics.count(handlerId, counter))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private void bindFigure(MeterRegistry registry, Set<String> registered, SubscriptionView subscription,
			String figure, String name, String description) {
		if (!subscription.details().containsKey(figure)) {
			return;
		}
		String subscriptionName = subscription.name();
		if (!registered.add(figure + "/" + subscriptionName)) {
			return;
		}
		Gauge.builder(name, this.eventBus, (bus) -> figure(bus, subscriptionName, figure))
			.description(description)
			.tags("subscription", subscriptionName, "destination", subscription.destination(), "group",
					subscription.group())
			.register(registry);
	}

	private static double figure(EventBus eventBus, String subscriptionName, String figure) {
		for (SubscriptionView subscription : eventBus.subscriptions()) {
			if (subscription.name().equals(subscriptionName)
					&& subscription.details().get(figure) instanceof Number value) {
				return value.doubleValue();
			}
		}
		return Double.NaN;
	}

	private static double activeSubscriptions(EventBus eventBus) {
		return eventBus.subscriptions()
			.stream()
			.filter((subscription) -> subscription.state() == SubscriptionState.RUNNING)
			.count();
	}

}
