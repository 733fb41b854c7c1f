package dev.eventbus.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBusObservations.HandleObservationConvention;
import dev.eventbus.runtime.EventBusObservations.PublishObservationConvention;
import dev.eventbus.spi.EventBusAdapter;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.StringValueResolver;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builder of an {@link EventBus}, from {@link EventBus#builder()}. Only the adapter is
 * required. Not thread safe.
 */
public final class EventBusBuilder {

	@Nullable EventBusAdapter adapter;

	final List<UnaryOperator<EventBusAdapter>> adapterDecorators = new ArrayList<>();

	@Nullable EventInbox inbox;

	ObjectMapper objectMapper = JsonMapper.builder().build();

	PlainJsonMapping plainJsonMapping = PlainJsonMapping.DEFAULT;

	EventTypeRegistry typeRegistry = new EventTypeRegistry();

	final Map<String, String> routes = new LinkedHashMap<>();

	String defaultDestination = "events";

	HandlerDefaults handlerDefaults = HandlerDefaults.DEFAULTS;

	@Nullable String defaultGroup;

	ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	@Nullable PublishObservationConvention publishConvention;

	@Nullable HandleObservationConvention handleConvention;

	final List<EventBusInterceptor> interceptors = new ArrayList<>();

	@Nullable String source;

	String deadLetterSuffix = ".dlq";

	boolean deadLetterUnmatchedEvents;

	Duration sendTimeout = Duration.ofSeconds(30);

	Duration shutdownTimeout = Duration.ofSeconds(30);

	@Nullable StringValueResolver valueResolver;

	EventBusBuilder() {
	}

	public EventBusBuilder adapter(EventBusAdapter adapter) {
		this.adapter = adapter;
		return this;
	}

	public EventBusBuilder objectMapper(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
		return this;
	}

	public EventBusBuilder plainJsonMapping(PlainJsonMapping plainJsonMapping) {
		this.plainJsonMapping = plainJsonMapping;
		return this;
	}

	public EventBusBuilder typeRegistry(EventTypeRegistry typeRegistry) {
		this.typeRegistry = typeRegistry;
		return this;
	}

	/**
	 * Route a type pattern to a destination; routes are tried in the order added.
	 * @param typePattern the pattern
	 * @param destination the destination
	 * @return this builder
	 */
	public EventBusBuilder route(String typePattern, String destination) {
		this.routes.put(typePattern, destination);
		return this;
	}

	public EventBusBuilder routes(Map<String, String> routes) {
		this.routes.putAll(routes);
		return this;
	}

	public EventBusBuilder defaultDestination(String defaultDestination) {
		this.defaultDestination = defaultDestination;
		return this;
	}

	public EventBusBuilder handlerDefaults(HandlerDefaults handlerDefaults) {
		this.handlerDefaults = handlerDefaults;
		return this;
	}

	/**
	 * Default consumer group of handlers; takes precedence over the group of
	 * {@link #handlerDefaults(HandlerDefaults)}.
	 * @param group the group
	 * @return this builder
	 */
	public EventBusBuilder defaultGroup(String group) {
		this.defaultGroup = group;
		return this;
	}

	/**
	 * Registry for one Micrometer Observation per publish and per handling: the
	 * {@code eventbus.*} timers with a meter handler, tracing spans and trace propagation
	 * in the event headers with a tracing handler.
	 * @param observationRegistry the registry
	 * @return this builder
	 */
	public EventBusBuilder observationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
		return this;
	}

	/**
	 * Convention that names and tags the {@code eventbus.publish} observations instead of
	 * {@link EventBusObservations.PublishConvention}.
	 * @param convention the convention, or {@code null} for the default
	 * @return this builder
	 */
	public EventBusBuilder publishObservationConvention(@Nullable PublishObservationConvention convention) {
		this.publishConvention = convention;
		return this;
	}

	/**
	 * Convention that names and tags the {@code eventbus.handle} observations instead of
	 * {@link EventBusObservations.HandleConvention}.
	 * @param convention the convention, or {@code null} for the default
	 * @return this builder
	 */
	public EventBusBuilder handleObservationConvention(@Nullable HandleObservationConvention convention) {
		this.handleConvention = convention;
		return this;
	}

	/**
	 * CloudEvents {@code source} of published events; defaults to
	 * {@code urn:eventbus:<group>}.
	 * @param source the source URI reference
	 * @return this builder
	 */
	public EventBusBuilder source(String source) {
		this.source = source;
		return this;
	}

	/**
	 * Whether an event of a type no handler of its subscription takes is dead-lettered
	 * instead of acknowledged; either way it is counted and its type logged once.
	 * @param deadLetterUnmatchedEvents whether to dead-letter them
	 * @return this builder
	 */
	public EventBusBuilder deadLetterUnmatchedEvents(boolean deadLetterUnmatchedEvents) {
		this.deadLetterUnmatchedEvents = deadLetterUnmatchedEvents;
		return this;
	}

	public EventBusBuilder deadLetterSuffix(String deadLetterSuffix) {
		this.deadLetterSuffix = deadLetterSuffix;
		return this;
	}

	/**
	 * Longest wait of a synchronous publish for the adapter's acknowledgement.
	 * @param sendTimeout the timeout
	 * @return this builder
	 */
	public EventBusBuilder sendTimeout(Duration sendTimeout) {
		this.sendTimeout = sendTimeout;
		return this;
	}

	/**
	 * Longest wait for in-flight handlers when subscriptions close.
	 * @param shutdownTimeout the timeout
	 * @return this builder
	 */
	public EventBusBuilder shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
		return this;
	}

	/**
	 * Resolver of {@code ${...}} placeholders in handler annotations.
	 * @param valueResolver the resolver
	 * @return this builder
	 */
	public EventBusBuilder valueResolver(@Nullable StringValueResolver valueResolver) {
		this.valueResolver = valueResolver;
		return this;
	}

	/**
	 * Add an interceptor; interceptors are called in the order added.
	 * @param interceptor the interceptor
	 * @return this builder
	 */
	public EventBusBuilder interceptor(EventBusInterceptor interceptor) {
		this.interceptors.add(interceptor);
		return this;
	}

	/**
	 * Give idempotent handlers an inbox.
	 * @param inbox the inbox, or {@code null} for none
	 * @return this builder
	 */
	public EventBusBuilder inbox(@Nullable EventInbox inbox) {
		this.inbox = inbox;
		return this;
	}

	/**
	 * Wrap the adapter, as the outbox of {@code eventbus-jdbc} does to record publishes
	 * made in a transaction. Decorators apply in the order they are added, each around
	 * the result of the previous.
	 * @param decorator given the adapter, returns the adapter the bus uses
	 * @return this builder
	 */
	public EventBusBuilder decorateAdapter(UnaryOperator<EventBusAdapter> decorator) {
		this.adapterDecorators.add(decorator);
		return this;
	}

	public EventBus build() {
		return new EventBus(this);
	}

}
