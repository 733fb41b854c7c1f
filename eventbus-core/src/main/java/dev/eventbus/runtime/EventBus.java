package dev.eventbus.runtime;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import dev.eventbus.api.DeadLetters;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * The event bus: one adapter, the handlers registered on it, their subscriptions, the
 * publisher and the dead letters. Usable without Spring Boot (build it,
 * {@link #registerHandlers register} handler beans, {@link #start()}); in a Spring
 * application the auto-configuration builds it and it runs as a {@link SmartLifecycle}:
 * subscriptions open after every singleton is ready and close first on shutdown, draining
 * in-flight handlers within the shutdown timeout, before the adapter closes. Thread safe.
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

	private final Interceptors interceptors;

	private final EventBusStatistics statistics = new EventBusStatistics();

	private final EventHandlerMethodScanner scanner;

	private final DeadLetterPublisher deadLetterPublisher;

	private final HandlerTimeouts timeouts = new HandlerTimeouts();

	private final HandlerPipeline.Services services;

	private final EventPublisher publisher;

	private final DeadLetters deadLetters;

	private final String source;

	private final Duration sendTimeout;

	private final Duration shutdownTimeout;

	private final List<HandlerDefinition> handlers = new CopyOnWriteArrayList<>();

	private final SubscriptionRegistry subscriptions;

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	EventBus(EventBusBuilder builder) {
		EventBusAdapter adapter = Objects.requireNonNull(builder.adapter, "adapter");
		for (UnaryOperator<EventBusAdapter> decorator : builder.adapterDecorators) {
			adapter = decorator.apply(adapter);
		}
		this.adapter = adapter;
		this.codec = new JsonEventCodec(builder.objectMapper, builder.plainJsonMapping);
		this.typeRegistry = builder.typeRegistry;
		this.router = new DestinationRouter(builder.routes, builder.defaultDestination);
		this.observationRegistry = builder.observationRegistry;
		this.interceptors = new Interceptors(builder.interceptors);
		HandlerDefaults handlerDefaults = (builder.defaultGroup != null)
				? builder.handlerDefaults.withGroup(builder.defaultGroup) : builder.handlerDefaults;
		this.source = (builder.source != null) ? builder.source : "urn:eventbus:" + handlerDefaults.group();
		this.sendTimeout = builder.sendTimeout;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.scanner = new EventHandlerMethodScanner(this.typeRegistry, this.router, handlerDefaults,
				builder.valueResolver);
		this.deadLetterPublisher = new DeadLetterPublisher(this.adapter, builder.deadLetterSuffix);
		this.services = new HandlerPipeline.Services(new PayloadConverter(this.typeRegistry, builder.objectMapper),
				new FailurePolicy(this.deadLetterPublisher, this.sendTimeout, this.statistics), this.interceptors,
				this.timeouts, this.observationRegistry, builder.handleConvention, this.statistics, this.adapter.name(),
				builder.inbox);
		this.subscriptions = new SubscriptionRegistry(this.adapter, this.codec, this.services,
				new UnmatchedEvents(builder.deadLetterUnmatchedEvents, this.statistics));
		this.publisher = new DefaultEventPublisher(this.adapter, this.codec, this.typeRegistry, this.router,
				this.observationRegistry, builder.publishConvention, this.interceptors, this.statistics, this.source,
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
	 * Find the {@code @EventHandler} methods of a bean and register them; subscribes them
	 * at once when the bus is running.
	 * @param beanName the bean name, for messages
	 * @param bean the bean
	 * @return the handlers found
	 * @throws InvalidEventHandlerException if a method cannot be wired or its id is taken
	 */
	public List<HandlerInfo> registerHandlers(String beanName, Object bean) {
		List<HandlerDefinition> found = this.scanner.scan(beanName, bean);
		synchronized (this.lifecycleMonitor) {
			for (HandlerDefinition handler : found) {
				String taken = takenBy(handler.id());
				if (taken != null) {
					throw new InvalidEventHandlerException(beanName, handler.info().method(), "its id '" + handler.id()
							+ "' is already used by " + taken + ": set @EventHandler(id = \"...\")");
				}
				register(handler);
			}
		}
		return found.stream().map(HandlerDefinition::info).toList();
	}

	/**
	 * Subscribe a handler in code, on the same path as an {@code @EventHandler} method:
	 * same conversion, retry, dead letters, group, metrics and interceptors. It receives
	 * events once the bus is running (at once if it is).
	 * @param typePattern the types it receives, such as {@code order.*}
	 * @param payloadType the class payloads are converted into ({@code JsonNode} or
	 * {@code Map} for raw access)
	 * @param handler the handler
	 * @param options group, destinations, retry and the rest;
	 * {@link SubscribeOptions#DEFAULTS}
	 * @param <T> the payload type
	 * @return the registration, whose {@code close()} unsubscribes
	 * @throws IllegalArgumentException if an option is invalid or the id is taken
	 */
	public <T> HandlerRegistration subscribe(String typePattern, Class<T> payloadType, EventConsumer<T> handler,
			SubscribeOptions options) {
		HandlerDefinition definition = this.scanner.define(typePattern, payloadType, options,
				HandlerInvoker.forFunction(payloadType, handler));
		synchronized (this.lifecycleMonitor) {
			String taken = takenBy(definition.id());
			if (taken != null) {
				throw new IllegalArgumentException("Handler id '" + definition.id() + "' is already used by " + taken
						+ ": give the subscription an id of its own with SubscribeOptions.withId");
			}
			register(definition);
		}
		return new Registration(definition);
	}

	private @Nullable String takenBy(String id) {
		for (HandlerDefinition existing : this.handlers) {
			if (existing.id().equals(id)) {
				return existing.info().method()
						+ ((existing.info().beanName() != null) ? " on bean '" + existing.info().beanName() + "'" : "");
			}
		}
		return null;
	}

	private void register(HandlerDefinition handler) {
		if (handler.info().idempotent() && this.services.inbox() == null) {
			String reason = "it is idempotent but the bus has no inbox: add eventbus-jdbc and set "
					+ "eventbus.inbox.enabled=true, or give EventBusBuilder.inbox(...) one";
			String beanName = handler.info().beanName();
			if (beanName == null) {
				throw new IllegalArgumentException("Handler " + handler.id() + ": " + reason);
			}
			throw new InvalidEventHandlerException(beanName, handler.info().method(), reason);
		}
		this.handlers.add(handler);
		if (this.running) {
			this.subscriptions.subscribe(handler);
		}
	}

	private void unregister(HandlerDefinition handler) {
		List<Subscription> emptied;
		synchronized (this.lifecycleMonitor) {
			if (!this.handlers.remove(handler)) {
				return;
			}
			emptied = this.subscriptions.unsubscribe(handler);
		}
		emptied.forEach((subscription) -> subscription.close(this.shutdownTimeout));
	}

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			try {
				this.subscriptions.subscribeAll(this.handlers);
			}
			catch (RuntimeException ex) {
				this.subscriptions.closeAll(this.shutdownTimeout);
				this.running = false;
				throw ex;
			}
			logger.info("Event bus started on the " + this.adapter.name() + " adapter: " + this.handlers.size()
					+ " handler(s) in " + this.subscriptions.size() + " subscription(s) "
					+ this.subscriptions.views().stream().map(SubscriptionView::name).toList());
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.subscriptions.closeAll(this.shutdownTimeout);
			logger.info("Event bus stopped");
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
		this.timeouts.close();
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
	public List<HandlerInfo> handlers() {
		return this.handlers.stream().map(HandlerDefinition::info).toList();
	}

	/**
	 * Running subscriptions: one per consumer group and destination.
	 * @return a snapshot of each
	 */
	public List<SubscriptionView> subscriptions() {
		synchronized (this.lifecycleMonitor) {
			return this.subscriptions.views();
		}
	}

	private List<String> subscribedDestinations() {
		Set<String> destinations = new LinkedHashSet<>();
		this.handlers.forEach((handler) -> destinations.addAll(handler.info().destinations()));
		return List.copyOf(destinations);
	}

	private final class Registration implements HandlerRegistration {

		private final HandlerDefinition handler;

		Registration(HandlerDefinition handler) {
			this.handler = handler;
		}

		@Override
		public HandlerInfo handler() {
			return this.handler.info();
		}

		@Override
		public void close() {
			unregister(this.handler);
		}

	}

}
