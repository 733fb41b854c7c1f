package dev.eventbus.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.eventbus.api.Event;

/**
 * Records events, typically from a test handler, and waits for them. Duplicates are kept,
 * as an at-least-once bus may deliver them; {@link #ids()} gives the distinct ids.
 * <pre class="code">
 * EventRecorder recorder = new EventRecorder();
 *
 * &#64;EventHandler
 * void on(Event&lt;OrderCreated&gt; event) {
 *     recorder.record(event);
 * }
 *
 * recorder.awaitEvent((event) -&gt; "order-1".equals(event.subject()), Duration.ofSeconds(5));
 * </pre>
 * <p>
 * Thread safe: events may be recorded from any number of threads while others wait. Waits
 * are woken by each recorded event rather than polling.
 */
public final class EventRecorder implements Consumer<Event<?>> {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition recorded = this.lock.newCondition();

	private final List<Event<?>> events = new ArrayList<>();

	private final Set<String> ids = new LinkedHashSet<>();

	/**
	 * Record an event.
	 * @param event the event
	 */
	public void record(Event<?> event) {
		Objects.requireNonNull(event, "event");
		this.lock.lock();
		try {
			this.events.add(event);
			this.ids.add(event.id());
			this.recorded.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Same as {@link #record(Event)}, so a recorder can be passed as a callback.
	 * @param event the event
	 */
	@Override
	public void accept(Event<?> event) {
		record(event);
	}

	/**
	 * The events recorded so far, duplicates included.
	 * @return a snapshot in recording order
	 */
	public List<Event<?>> events() {
		this.lock.lock();
		try {
			return List.copyOf(this.events);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The distinct ids of the events recorded so far.
	 * @return a snapshot in the order each id was first recorded
	 */
	public Set<String> ids() {
		this.lock.lock();
		try {
			return new LinkedHashSet<>(this.ids);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Number of events recorded, duplicates included.
	 * @return the count
	 */
	public int size() {
		this.lock.lock();
		try {
			return this.events.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The payloads of the recorded events that are instances of a type.
	 * @param type the payload type
	 * @param <T> the payload type
	 * @return the payloads, in recording order
	 */
	public <T> List<T> payloads(Class<T> type) {
		List<T> payloads = new ArrayList<>();
		for (Event<?> event : events()) {
			if (type.isInstance(event.payload())) {
				payloads.add(type.cast(event.payload()));
			}
		}
		return payloads;
	}

	/**
	 * Wait until at least a number of events, duplicates included, were recorded.
	 * @param count the number
	 * @param timeout the longest wait
	 * @return every event recorded when the count was reached
	 * @throws AssertionError if fewer were recorded in time
	 */
	public List<Event<?>> awaitCount(int count, Duration timeout) {
		awaitCondition(timeout, () -> this.events.size() >= count, () -> "Expected at least " + count
				+ " events but recorded " + this.events.size() + ": " + describe(this.events));
		return events();
	}

	/**
	 * Wait until an event that matches was recorded; events recorded earlier count.
	 * @param condition the condition
	 * @param timeout the longest wait
	 * @return the first matching event
	 * @throws AssertionError if none matched in time
	 */
	public Event<?> awaitEvent(Predicate<Event<?>> condition, Duration timeout) {
		Event<?>[] found = new Event<?>[1];
		awaitCondition(timeout, () -> {
			for (Event<?> event : this.events) {
				if (condition.test(event)) {
					found[0] = event;
					return true;
				}
			}
			return false;
		}, () -> "No matching event among " + this.events.size() + " recorded: " + describe(this.events));
		return found[0];
	}

	/**
	 * Wait until an event of every id was recorded.
	 * @param expectedIds the ids
	 * @param timeout the longest wait
	 * @throws AssertionError naming the missing ids if some were not recorded in time
	 */
	public void awaitIds(Collection<String> expectedIds, Duration timeout) {
		Set<String> missing = new LinkedHashSet<>(expectedIds);
		awaitCondition(timeout, () -> {
			missing.removeAll(this.ids);
			return missing.isEmpty();
		}, () -> "Missing " + missing.size() + " of " + expectedIds.size() + " events: " + first(missing, 20));
	}

	/**
	 * Forget every recorded event.
	 */
	public void clear() {
		this.lock.lock();
		try {
			this.events.clear();
			this.ids.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void awaitCondition(Duration timeout, BooleanSupplier condition, Supplier<String> failureMessage) {
		long remaining = timeout.toNanos();
		this.lock.lock();
		try {
			while (!condition.getAsBoolean()) {
				if (remaining <= 0) {
					throw new AssertionError(failureMessage.get() + " (waited " + timeout.toMillis() + "ms)");
				}
				remaining = this.recorded.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for events", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private static String describe(List<Event<?>> events) {
		List<String> described = new ArrayList<>();
		for (Event<?> event : events) {
			described.add(event.type() + "#" + event.id());
		}
		return first(described, 20);
	}

	private static String first(Collection<String> values, int limit) {
		List<String> shown = new ArrayList<>();
		for (String value : values) {
			if (shown.size() == limit) {
				return shown + " and " + (values.size() - limit) + " more";
			}
			shown.add(value);
		}
		return shown.toString();
	}

	@Override
	public String toString() {
		return "EventRecorder[events=" + size() + "]";
	}

}
