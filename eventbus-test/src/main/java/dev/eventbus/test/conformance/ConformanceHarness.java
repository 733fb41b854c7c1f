package dev.eventbus.test.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.HandlerDefaults;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import dev.eventbus.test.EventRecorder;
import org.jspecify.annotations.Nullable;
import org.springframework.util.PropertyPlaceholderHelper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state and tools of one conformance case: the adapters it created, its subscriptions
 * and buses (closed afterwards), unique names, event building, publishing and receiving
 * at SPI level, and the id assertions. Thread safe.
 */
final class ConformanceHarness {

	/** Event type of the events published by the SPI-level cases. */
	static final String TYPE = "conformance.tested";

	/** Source of the events published by the SPI-level cases. */
	static final String SOURCE = "urn:eventbus:conformance";

	private static final Duration CLEANUP_DRAIN = Duration.ofMillis(100);

	private final Supplier<EventBusAdapter> factory;

	private final Duration receiveTimeout;

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	private final List<EventBusAdapter> adapters = new CopyOnWriteArrayList<>();

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

	private final EventBusAdapter adapter;

	ConformanceHarness(Supplier<EventBusAdapter> factory, Duration receiveTimeout) {
		this.factory = factory;
		this.receiveTimeout = receiveTimeout;
		this.adapter = newInstance();
	}

	/**
	 * The adapter created first for the case.
	 * @return the adapter
	 */
	EventBusAdapter adapter() {
		return this.adapter;
	}

	/**
	 * Another adapter against the same broker, as another application instance would
	 * have.
	 * @return the adapter, closed after the case
	 */
	EventBusAdapter newInstance() {
		EventBusAdapter created = this.factory.get();
		this.adapters.add(created);
		return created;
	}

	Duration receiveTimeout() {
		return this.receiveTimeout;
	}

	JsonEventCodec codec() {
		return this.codec;
	}

	String destination(String caseName) {
		return "conf-" + caseName + "-" + this.suffix;
	}

	String group(String name) {
		return name + "-" + this.suffix;
	}

	/**
	 * Start a bus on an adapter with handler beans whose
	 * {@code ${conformance.destination}} placeholders resolve to the destination, which
	 * is also the default destination: retries of 20 ms, x2, at most 200 ms, 2 of them;
	 * dead letters on {@code <destination>.dlq}.
	 * @param adapter the adapter
	 * @param destination the destination
	 * @param handlers the handler beans
	 * @return the running bus, closed after the case
	 */
	EventBus startBus(EventBusAdapter adapter, String destination, Object... handlers) {
		Properties properties = new Properties();
		properties.setProperty("conformance.destination", destination);
		PropertyPlaceholderHelper placeholders = new PropertyPlaceholderHelper("${", "}");
		EventBus bus = EventBus.builder()
			.adapter(adapter)
			.source(SOURCE)
			.handlerDefaults(HandlerDefaults.DEFAULTS
				.withRetry(new RetrySettings(2, Duration.ofMillis(20), 2.0, Duration.ofMillis(200), Duration.ZERO)))
			.defaultGroup(group("conformance"))
			.defaultDestination(destination)
			.deadLetterSuffix(".dlq")
			.sendTimeout(this.receiveTimeout)
			.shutdownTimeout(Duration.ofSeconds(5))
			.valueResolver((value) -> placeholders.replacePlaceholders(value, properties))
			.build();
		closeLater(bus);
		for (Object handler : handlers) {
			bus.registerHandlers(handler.getClass().getSimpleName(), handler);
		}
		bus.start();
		awaitRunning(bus);
		return bus;
	}

	/**
	 * Wait until every subscription of a bus runs.
	 * @param bus the bus
	 */
	void awaitRunning(EventBus bus) {
		Awaits.await(this.receiveTimeout,
				() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
				() -> "Subscriptions of the bus did not start: " + bus.subscriptions());
	}

	Event<Map<String, Object>> event(@Nullable String subject, int sequence) {
		return event(TYPE, subject, sequence);
	}

	Event<Map<String, Object>> event(String type, @Nullable String subject, int sequence) {
		String id = UUID.randomUUID().toString();
		return new Event<>(id, type, SOURCE, Instant.now(), subject, "correlation-" + id, null, Map.of(),
				Map.of("sequence", sequence));
	}

	OutboundMessage message(String destination, Event<?> event) {
		return OutboundMessage.ofEvent(destination, event, this.codec);
	}

	SendResult publish(EventBusAdapter target, String destination, Event<?> event) {
		return await(target.send(message(destination, event)), "publish of " + event.id() + " to " + destination);
	}

	/**
	 * Send events without waiting between them, then wait until every send was accepted.
	 * @param target the adapter
	 * @param destination the destination
	 * @param events the events
	 * @return the ids, in publish order
	 */
	List<String> publishAll(EventBusAdapter target, String destination, List<? extends Event<?>> events) {
		List<CompletableFuture<SendResult>> sends = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (Event<?> event : events) {
			sends.add(target.send(message(destination, event)));
			ids.add(event.id());
		}
		for (int i = 0; i < sends.size(); i++) {
			await(sends.get(i), "publish of " + ids.get(i) + " to " + destination);
		}
		return ids;
	}

	<T> T await(CompletableFuture<T> future, String what) {
		try {
			return future.get(this.receiveTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new AssertionError(what + " failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError(what + " was not acknowledged within " + this.receiveTimeout.toMillis() + "ms");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted during " + what, ex);
		}
	}

	/**
	 * Subscribe and wait until the subscription is running.
	 * @param target the adapter
	 * @param destination the destination
	 * @param group the group
	 * @param concurrency the concurrency
	 * @param listener the listener
	 * @return the subscription, closed after the case
	 */
	Subscription subscribe(EventBusAdapter target, String destination, String group, int concurrency,
			DeliveryListener listener) {
		Subscription subscription = target.subscribe(
				new SubscriptionSpec(destination, group, group + "-" + this.subscriptions.size(), concurrency, 3),
				listener);
		this.subscriptions.add(subscription);
		Awaits.await(this.receiveTimeout, () -> subscription.state() != SubscriptionState.STARTING,
				() -> "Subscription to '" + destination + "' did not start");
		if (subscription.state() != SubscriptionState.RUNNING) {
			throw new AssertionError("Subscription to '" + destination + "' is " + subscription.state());
		}
		return subscription;
	}

	/**
	 * A listener that decodes each delivery, records the event and acknowledges.
	 * @param recorder where events go
	 * @return the listener
	 */
	DeliveryListener recording(EventRecorder recorder) {
		return (delivery) -> {
			recorder.record(decode(delivery));
			delivery.ack();
		};
	}

	Event<?> decode(Delivery delivery) {
		Event<?> event = delivery.event();
		return (event != null) ? event : this.codec.decode(delivery.headers(), delivery.body(), "test");
	}

	JsonNode tree(Object payload) {
		return this.codec.objectMapper().valueToTree(payload);
	}

	/**
	 * The {@code sequence} field of an event built by {@link #event(String, int)}.
	 * @param event the event, with its payload as sent or as a tree
	 * @return the sequence
	 */
	int sequence(Event<?> event) {
		return tree(event.payload()).get("sequence").asInt();
	}

	/**
	 * Wait until a recorder holds every id, failing with the missing ones.
	 * @param what what is received, for the failure message
	 * @param recorder the recorder
	 * @param ids the expected ids
	 * @param timeout the longest wait
	 */
	void awaitIds(String what, EventRecorder recorder, Collection<String> ids, Duration timeout) {
		try {
			recorder.awaitIds(ids, timeout);
		}
		catch (AssertionError ex) {
			throw new AssertionError(what + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The core assertion: every sent id was received and nothing else was; duplicates are
	 * allowed.
	 * @param what what is compared, for the failure message
	 * @param sent ids sent
	 * @param received ids received, duplicates allowed
	 */
	static void assertSameIds(String what, Collection<String> sent, Collection<String> received) {
		assertReceived(what, sent, sent, received);
	}

	/**
	 * Every expected id was received, and every id received is allowed; duplicates are
	 * allowed.
	 * @param what what is compared, for the failure message
	 * @param expected ids that must be received
	 * @param allowed ids that may be received, the expected ones included
	 * @param received ids received, duplicates allowed
	 */
	static void assertReceived(String what, Collection<String> expected, Collection<String> allowed,
			Collection<String> received) {
		Set<String> distinct = new LinkedHashSet<>(received);
		Set<String> missing = new LinkedHashSet<>(expected);
		missing.removeAll(distinct);
		Set<String> unexpected = new LinkedHashSet<>(distinct);
		unexpected.removeAll(new LinkedHashSet<>(allowed));
		if (!missing.isEmpty() || !unexpected.isEmpty()) {
			throw new AssertionError(what + ": expected " + expected.size() + " distinct ids, received "
					+ distinct.size() + " (" + received.size() + " with duplicates); missing " + missing.size() + " "
					+ first(missing) + ", unexpected " + unexpected.size() + " " + first(unexpected));
		}
	}

	private static List<String> first(Set<String> ids) {
		return ids.stream().limit(20).toList();
	}

	/**
	 * Close something with the case.
	 * @param closeable closed before the subscriptions and adapters
	 */
	void closeLater(AutoCloseable closeable) {
		this.closeables.add(closeable);
	}

	/**
	 * Close what the case opened: buses, subscriptions, then adapters, the first one
	 * last.
	 * @throws Exception the first failure, after everything was attempted
	 */
	void close() throws Exception {
		List<Exception> failures = new ArrayList<>();
		for (AutoCloseable closeable : this.closeables) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				failures.add(ex);
			}
		}
		for (Subscription subscription : this.subscriptions) {
			try {
				subscription.close(CLEANUP_DRAIN);
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}
		List<EventBusAdapter> reversed = new ArrayList<>(this.adapters);
		Collections.reverse(reversed);
		for (EventBusAdapter created : reversed) {
			try {
				created.close();
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}
		if (!failures.isEmpty()) {
			Exception first = failures.get(0);
			failures.subList(1, failures.size()).forEach(first::addSuppressed);
			throw first;
		}
	}

}
