package dev.eventbus.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.eventbus.api.EventBusException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The running subscriptions of a bus: one per consumer group and destination, each with
 * the dispatcher of its handlers. A handler joins the subscription of its group on each
 * of its destinations, which opens when its first handler joins and closes when its last
 * one leaves. Not thread safe: the bus calls it holding its lifecycle monitor.
 */
final class SubscriptionRegistry {

	private static final Log logger = LogFactory.getLog(SubscriptionRegistry.class);

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final HandlerPipeline.Services services;

	private final UnmatchedEvents unmatched;

	private final Map<Key, Active> subscriptions = new LinkedHashMap<>();

	SubscriptionRegistry(EventBusAdapter adapter, JsonEventCodec codec, HandlerPipeline.Services services,
			UnmatchedEvents unmatched) {
		this.adapter = adapter;
		this.codec = codec;
		this.services = services;
		this.unmatched = unmatched;
	}

	/**
	 * Open the subscriptions of every handler, each with all of its handlers from its
	 * first delivery.
	 * @param handlers the handlers, in registration order
	 * @throws EventBusException if the adapter cannot subscribe
	 */
	void subscribeAll(List<HandlerDefinition> handlers) {
		Map<Key, List<HandlerDefinition>> members = new LinkedHashMap<>();
		for (HandlerDefinition handler : handlers) {
			for (String destination : handler.info().destinations()) {
				members
					.computeIfAbsent(new Key(handler.info().subscriptionGroup(), destination),
							(key) -> new ArrayList<>())
					.add(handler);
			}
		}
		members.forEach((key, group) -> this.subscriptions.put(key, open(key, group)));
	}

	/**
	 * Add a handler to the subscription of its group on each of its destinations, where
	 * it receives from the next delivery on, opening the subscription if it is the first.
	 * @param handler the handler
	 * @throws EventBusException if the adapter cannot subscribe
	 */
	void subscribe(HandlerDefinition handler) {
		for (String destination : handler.info().destinations()) {
			Key key = new Key(handler.info().subscriptionGroup(), destination);
			Active active = this.subscriptions.get(key);
			if (active != null) {
				active.dispatcher().add(new HandlerPipeline(handler, this.services));
				active.subscription().addTypes(handler.info().types());
			}
			else {
				this.subscriptions.put(key, open(key, List.of(handler)));
			}
		}
	}

	/**
	 * The source of plain JSON without one: written by a producer outside this library,
	 * it is named after the destination it came from.
	 */
	static String foreignSource(String destination) {
		return "urn:eventbus:destination:" + destination;
	}

	private Active open(Key key, List<HandlerDefinition> members) {
		String name = key.group() + "@" + key.destination();
		int concurrency = members.stream().mapToInt((member) -> member.info().concurrency()).max().orElse(1);
		int maxAttempts = members.stream().mapToInt((member) -> member.retry().maxAttempts()).max().orElse(1);
		BatchSpec batch = members.get(0).info().batch();
		HandlerDispatcher dispatcher = (batch != null)
				? new BatchDispatcher(name, key.group(), this.codec, new HandlerPipeline(members.get(0), this.services),
						this.unmatched, foreignSource(key.destination()), this.adapter.capabilities().orderedPerKey())
				: new SubscriptionDispatcher(name, key.group(), this.codec, this.services.failures(), this.unmatched,
						foreignSource(key.destination()));
		if (batch == null) {
			members.forEach((member) -> dispatcher.add(new HandlerPipeline(member, this.services)));
		}
		try {
			List<String> types = members.stream()
				.flatMap((member) -> member.info().types().stream())
				.distinct()
				.toList();
			SubscriptionSpec spec = new SubscriptionSpec(key.destination(), key.group(), name, concurrency, maxAttempts,
					batch, types);
			return new Active(dispatcher, this.adapter.subscribe(spec, dispatcher));
		}
		catch (RuntimeException ex) {
			throw new EventBusException(
					"Could not subscribe group '" + key.group() + "' (handler " + members.get(0).id() + ") to '"
							+ key.destination() + "' on the " + this.adapter.name() + " adapter: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Remove a handler from its subscriptions.
	 * @param handler the handler
	 * @return the subscriptions it was the last handler of, to be closed by the caller
	 */
	List<Subscription> unsubscribe(HandlerDefinition handler) {
		List<Subscription> emptied = new ArrayList<>();
		this.subscriptions.values().removeIf((active) -> {
			if (active.dispatcher().handlers().contains(handler) && !active.dispatcher().remove(handler)) {
				emptied.add(active.subscription());
				return true;
			}
			return false;
		});
		return emptied;
	}

	int size() {
		return this.subscriptions.size();
	}

	/**
	 * Close every subscription, in parallel, each draining within the timeout.
	 * @param drainTimeout the longest wait for each subscription's in-flight deliveries
	 */
	void closeAll(Duration drainTimeout) {
		List<Active> closing = new ArrayList<>(this.subscriptions.values());
		this.subscriptions.clear();
		if (closing.isEmpty()) {
			return;
		}
		ExecutorService closer = Executors.newFixedThreadPool(Math.min(closing.size(), 16), (runnable) -> {
			Thread thread = new Thread(runnable, "eventbus-shutdown");
			thread.setDaemon(true);
			return thread;
		});
		try {
			CompletableFuture
				.allOf(closing.stream()
					.map((active) -> CompletableFuture.runAsync(() -> active.subscription().close(drainTimeout),
							closer))
					.toArray(CompletableFuture[]::new))
				.join();
		}
		catch (RuntimeException ex) {
			logger.warn("A subscription failed to close cleanly", ex);
		}
		finally {
			closer.shutdownNow();
		}
	}

	/**
	 * A snapshot of every running subscription.
	 * @return the views
	 */
	List<SubscriptionView> views() {
		List<SubscriptionView> views = new ArrayList<>();
		for (Active active : this.subscriptions.values()) {
			Subscription subscription = active.subscription();
			SubscriptionSpec spec = subscription.spec();
			List<String> handlerIds = active.dispatcher().handlers().stream().map(HandlerDefinition::id).toList();
			views.add(new SubscriptionView(spec.name(), spec.destination(), spec.group(), handlerIds,
					subscription.state(), subscription.details()));
		}
		return views;
	}

	private record Key(String group, String destination) {
	}

	private record Active(HandlerDispatcher dispatcher, Subscription subscription) {
	}

}
