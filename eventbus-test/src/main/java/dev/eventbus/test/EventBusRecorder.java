package dev.eventbus.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;
import dev.eventbus.runtime.EventBusInterceptor;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.Outcome;

/**
 * Records every event the bus publishes and every event a handler completed, so tests can wait for
 * them. Register it as a bean in a Spring Boot test (the auto-configuration applies every
 * {@link EventBusInterceptor} bean) or with {@code EventBus.builder().interceptor(recorder)}.
 * <pre class="code">
 * &#64;TestConfiguration
 * static class Recording {
 *     &#64;Bean
 *     EventBusRecorder eventBusRecorder() {
 *         return new EventBusRecorder();
 *     }
 * }
 *
 * recorder.handled("Inventory.reserve").awaitEvent((e) -&gt; "order-1".equals(e.subject()), Duration.ofSeconds(5));
 * </pre>
 * Only successful handling is recorded as handled; {@link #outcomes(String)} has every outcome.
 * Thread safe.
 */
public final class EventBusRecorder implements EventBusInterceptor {

	private final EventRecorder published = new EventRecorder();

	private final EventRecorder handled = new EventRecorder();

	private final Map<String, EventRecorder> handledBy = new ConcurrentHashMap<>();

	private final Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();

	@Override
	public void published(Event<?> event, PublishResult result) {
		this.published.record(event);
	}

	@Override
	public void handled(Event<?> event, HandlerInfo handler, Outcome outcome) {
		this.outcomes.computeIfAbsent(handler.id(), (id) -> new CopyOnWriteArrayList<>())
			.add(outcome);
		if (outcome == Outcome.SUCCESS) {
			this.handled.record(event);
			handled(handler.id()).record(event);
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
	 */
	public EventRecorder handled(String handlerId) {
		return this.handledBy.computeIfAbsent(handlerId, (id) -> new EventRecorder());
	}

	/**
	 * Outcomes of one handler, in order: {@code success}, {@code retry}, {@code dead-letter}, ...
	 * @param handlerId the handler id
	 * @return the outcomes so far
	 */
	public List<Outcome> outcomes(String handlerId) {
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
