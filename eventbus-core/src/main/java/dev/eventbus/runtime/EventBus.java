package dev.eventbus.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.eventbus.api.DeadLetters;
import dev.eventbus.api.EventBusException;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The event bus: one adapter, the handlers registered on it, their subscriptions, the publisher and
 * the dead letters. Usable without Spring Boot (build it, {@link #registerHandlers register}
 * handler beans, {@link #start()}); in a Spring application the auto-configuration builds it and it
 * runs as a {@link SmartLifecycle}: subscriptions open after every singleton is ready and close
 * first on shutdown, draining in-flight handlers within the shutdown timeout, before the adapter
 * closes. Thread safe.
 */
public final class EventBus implements SmartLifecycle, AutoCloseable {

	/** Lifecycle phase: after the web server starts, and stopped before it stops. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(EventBus.class);

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final EventTypeRegistry typeRegistry;

	private final DestinationRouter router;

	private final ObservationRegistry observationRegistry;

	private final EventTimings timings;

	private final Interceptors interceptors;

	private final EventBusStatistics statistics = new EventBusStatistics();

	private final EventHandlerMethodScanner scanner;

	private final PayloadConverter converter;

	private final DeadLetterPublisher deadLetterPublisher;

	private final EventPublisher publisher;

	private final DeadLetters deadLetters;

	private final String source;

	private final Duration sendTimeout;

	private final Duration shutdownTimeout;

	private final List<HandlerDefinition> handlers = new CopyOnWriteArrayList<>();

	private final List<ActiveSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	EventBus(EventBusBuilder builder) {
		this.adapter = Objects.requireNonNull(builder.adapter, "adapter");
		this.codec = new JsonEventCodec(builder.objectMapper, builder.plainJsonMapping);
		this.typeRegistry = builder.typeRegistry;
		this.router = new DestinationRouter(builder.routes, builder.defaultDestination);
		this.observationRegistry = builder.observationRegistry;
		this.timings = this.observationRegistry.isNoop() ? builder.timings : EventTimings.NONE;
		this.interceptors = new Interceptors(builder.interceptors);
		HandlerDefaults handlerDefaults = (builder.defaultGroup != null)
				? builder.handlerDefaults.withGroup(builder.defaultGroup) : builder.handlerDefaults;
		this.source = (builder.source != null) ? builder.source : "urn:eventbus:" + handlerDefaults.group();
		this.sendTimeout = builder.sendTimeout;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.scanner = new EventHandlerMethodScanner(this.typeRegistry, this.router, handlerDefaults,
				builder.valueResolver);
		this.converter = new PayloadConverter(this.typeRegistry, builder.objectMapper);
		this.deadLetterPublisher = new DeadLetterPublisher(this.adapter, builder.deadLetterSuffix);
		this.publisher = new DefaultEventPublisher(this.adapter, this.codec, this.typeRegistry, this.router,
				this.observationRegistry, this.timings, this.interceptors, this.statistics, this.source,
				this.sendTimeout);
		this.deadLetters = new DefaultDeadLetters(this.adapter, this.codec, this.deadLetterPublisher,
				this::subscribedDestinations);
	}

	/**
	 * Start building a bus.
	 * @return a builder
	 */
	public static EventBusBuilder builder() {
		return new EventBusBuilder();
	}

	/**
	 * Find the {@code @EventHandler} methods of a bean and register them; subscribes them at once
	 * when the bus is running.
	 * @param beanName the bean name, for messages
	 * @param bean the bean
	 * @return the handlers found
	 * @throws InvalidEventHandlerException if a method cannot be wired or its id is taken
	 */
	public List<HandlerDefinition> registerHandlers(String beanName, Object bean) {
		List<HandlerDefinition> found = this.scanner.scan(beanName, bean);
		synchronized (this.lifecycleMonitor) {
			for (HandlerDefinition handler : found) {
				for (HandlerDefinition existing : this.handlers) {
					if (existing.id().equals(handler.id())) {
						throw new InvalidEventHandlerException(beanName, handler.methodDescription(),
								"its id '" + handler.id() + "' is already used by " + existing.methodDescription()
										+ " on bean '" + existing.beanName() + "': set @EventHandler(id = \"...\")");
					}
				}
				this.handlers.add(handler);
				if (this.running) {
					subscribe(handler);
				}
			}
		}
		return found;
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			try {
				this.handlers.forEach(this::subscribe);
			}
			catch (RuntimeException ex) {
				closeSubscriptions();
				this.running = false;
				throw ex;
			}
			logger.info("Event bus started on the " + this.adapter.name() + " adapter: " + this.handlers.size()
					+ " handler(s), " + this.subscriptions.size() + " subscription(s)");
		}
	}

	private void subscribe(HandlerDefinition handler) {
		for (String destination : handler.destinations()) {
			SubscriptionSpec spec = new SubscriptionSpec(destination, handler.consumerGroup(), handler.id(),
					handler.concurrency(), handler.retry().maxAttempts());
			SubscriptionDispatcher dispatcher = new SubscriptionDispatcher(handler, this.codec, this.converter,
					this.deadLetterPublisher, this.observationRegistry, this.timings, this.interceptors,
					this.statistics.handler(handler.id()),
					this.adapter.name(), this.source, this.sendTimeout);
			try {
				this.subscriptions.add(new ActiveSubscription(handler, this.adapter.subscribe(spec, dispatcher)));
			}
			catch (RuntimeException ex) {
				throw new EventBusException("Could not subscribe handler " + handler.id() + " to '" + destination
						+ "' on the " + this.adapter.name() + " adapter: " + ex.getMessage(), ex);
			}
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			closeSubscriptions();
			logger.info("Event bus stopped");
		}
	}

	private void closeSubscriptions() {
		List<ActiveSubscription> closing = new ArrayList<>(this.subscriptions);
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
			CompletableFuture<?>[] closes = closing.stream()
				.map((active) -> CompletableFuture.runAsync(() -> active.subscription().close(this.shutdownTimeout),
						closer))
				.toArray(CompletableFuture[]::new);
			CompletableFuture.allOf(closes).join();
		}
		catch (RuntimeException ex) {
			logger.warn("A subscription failed to close cleanly", ex);
		}
		finally {
			closer.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Stop every subscription. The adapter is not closed: whoever created it closes it.
	 */
	@Override
	public void close() {
		stop();
	}

	public EventPublisher publisher() {
		return this.publisher;
	}

	public DeadLetters deadLetters() {
		return this.deadLetters;
	}

	public EventBusStatistics statistics() {
		return this.statistics;
	}

	public EventTypeRegistry typeRegistry() {
		return this.typeRegistry;
	}

	public DestinationRouter router() {
		return this.router;
	}

	public EventBusAdapter adapter() {
		return this.adapter;
	}

	public JsonEventCodec codec() {
		return this.codec;
	}

	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Registered handlers.
	 * @return the handlers, in registration order
	 */
	public List<HandlerDefinition> handlers() {
		return List.copyOf(this.handlers);
	}

	/**
	 * Running subscriptions.
	 * @return a snapshot of each
	 */
	public List<SubscriptionView> subscriptions() {
		List<SubscriptionView> views = new ArrayList<>();
		for (ActiveSubscription active : this.subscriptions) {
			Subscription subscription = active.subscription();
			SubscriptionSpec spec = subscription.spec();
			views.add(new SubscriptionView(active.handler().id(), spec.destination(), active.handler().group(),
					spec.group(), subscription.state(), subscription.details()));
		}
		return views;
	}

	private List<String> subscribedDestinations() {
		Set<String> destinations = new LinkedHashSet<>();
		this.handlers.forEach((handler) -> destinations.addAll(handler.destinations()));
		return List.copyOf(destinations);
	}

	private record ActiveSubscription(HandlerDefinition handler, Subscription subscription) {
	}

}
