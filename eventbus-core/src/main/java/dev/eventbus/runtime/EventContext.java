package dev.eventbus.runtime;

import java.util.Optional;

import dev.eventbus.api.Event;
import org.jspecify.annotations.Nullable;

/**
 * The event being handled on the current thread, if any. The runtime sets it around each
 * handler invocation, so that what a handler publishes inherits its correlation id and
 * names it as the cause. Handlers that need the envelope take an {@code Event<T>}
 * parameter instead.
 */
public final class EventContext {

	private static final ThreadLocal<@Nullable Event<?>> CURRENT = new ThreadLocal<>();

	private EventContext() {
	}

	/**
	 * Return the event being handled on this thread.
	 * @return the event, or empty outside a handler
	 */
	public static Optional<Event<?>> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Run an action with an event as the current one; restores the previous one
	 * afterwards.
	 */
	static void runWith(Event<?> event, HandlerChain action) throws Throwable {
		Event<?> previous = CURRENT.get();
		CURRENT.set(event);
		try {
			action.proceed(event);
		}
		finally {
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		}
	}

}
