package dev.eventbus.test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;
import dev.eventbus.runtime.EventBusInterceptor;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.Outcome;

/**
 * Records every event the bus publishes and every event a handler completed, so tests can
 * wait for them. In a Spring Boot test,
 * {@link AutoConfigureEventBusRecorder @AutoConfigureEventBusRecorder} registers one (the
 * auto-configuration applies every {@link EventBusInterceptor} bean) and clears it after
 * each test; without Spring, pass it to {@code EventBus.builder().interceptor(recorder)}.
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureEventBusRecorder
 * class InventoryTests {
 *
 *     &#64;Autowired
 *     EventBusRecorder recorder;
 *
 *     ...
 *     recorder.handled("Inventory.reserve").awaitEvent((e) -&gt; "order-1".equals(e.subject()), Duration.ofSeconds(5));
 * }
 * </pre> Only successful handling is recorded as handled; {@link #outcomes(String)} has
 * every outcome. A recorder that knows the bus's handlers rejects a handler id that none
 * has, instead of waiting for events that never come. Thread safe.
 */
public final class EventBusRecorder implements EventBusInterceptor {

	private final EventRecorder published = new EventRecorder();

	private final EventRecorder handled = new EventRecorder();

	private final Map<String, EventRecorder> handledBy = new ConcurrentHashMap<>();

	private final Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();

	private final Supplier<? extends Collection<HandlerInfo>> handlers;

	/**
	 * Create a recorder that accepts any handler id.
	 */
	public EventBusRecorder() {
		this.handlers = List::of;
	}

	/**
	 * Create a recorder that checks handler ids against the bus's handlers.
	 * @param handlers the handlers of the bus, read when a handler id is asked for
	 * (usually {@code bus::handlers})
	 */
	public EventBusRecorder(Supplier<? extends Collection<HandlerInfo>> handlers) {
		this.handlers = Objects.requireNonNull(handlers, "handlers");
	}

	@Override
	public void published(Event<?> event, PublishResult result) {
		this.published.record(event);
	}

	@Override
	public void handled(Event<?> event, HandlerInfo handler, Outcome outcome) {
		this.outcomes.computeIfAbsent(handler.id(), (id) -> new CopyOnWriteArrayList<>()).add(outcome);
		if (outcome == Outcome.SUCCESS) {
			this.handled.record(event);
			handledBy(handler.id()).record(event);
		}
	}

	/**
	 * Events accepted by the adapter.
	 * @return the recorder of published events
	 */
	public EventRecorder published() {
		return this.published;
	}

	/**
	 * Events any handler completed.
	 * @return the recorder of handled events
	 */
	public EventRecorder handled() {
		return this.handled;
	}

	/**
	 * Events one handler completed.
	 * @param handlerId the handler id, {@code SimpleClassName.method} unless set
	 * @return its recorder, empty until it handled something
	 * @throws IllegalArgumentException if the recorder knows the bus's handlers and none
	 * has this id
	 */
	public EventRecorder handled(String handlerId) {
		requireKnown(handlerId);
		return handledBy(handlerId);
	}

	private EventRecorder handledBy(String handlerId) {
		return this.handledBy.computeIfAbsent(handlerId, (id) -> new EventRecorder());
	}

	private void requireKnown(String handlerId) {
		Collection<HandlerInfo> known = this.handlers.get();
		if (!known.isEmpty() && known.stream().noneMatch((handler) -> handler.id().equals(handlerId))) {
			throw new IllegalArgumentException("No handler has the id '" + handlerId + "'; the handlers are "
					+ known.stream().map(HandlerInfo::id).sorted().toList());
		}
	}

	/**
	 * Outcomes of one handler, in order: {@code success}, {@code retry},
	 * {@code dead-letter}, ...
	 * @param handlerId the handler id
	 * @return the outcomes so far
	 * @throws IllegalArgumentException if the recorder knows the bus's handlers and none
	 * has this id
	 */
	public List<Outcome> outcomes(String handlerId) {
		requireKnown(handlerId);
		return List.copyOf(this.outcomes.getOrDefault(handlerId, List.of()));
	}

	/**
	 * Forget everything recorded.
	 */
	public void clear() {
		this.published.clear();
		this.handled.clear();
		this.handledBy.clear();
		this.outcomes.clear();
	}

}
