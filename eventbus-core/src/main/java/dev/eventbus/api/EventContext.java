package dev.eventbus.api;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The event being handled on the current thread, if any. Set by the runtime around each handler
 * invocation; used to propagate correlation and causation ids into what the handler publishes.
 */
public final class EventContext {

	/**
	 * One mutable slot per thread but {@link HandlerThread handler threads}: entering and leaving
	 * a handler costs one lookup, no map update.
	 */
	private static final ThreadLocal<Slot> CURRENT = ThreadLocal.withInitial(Slot::new);

	private EventContext() {
	}

	/**
	 * Return the event being handled on this thread.
	 * @return the event, or empty outside a handler
	 */
	public static Optional<Event<?>> current() {
		return Optional.ofNullable(slot().event);
	}

	/**
	 * Run an action with an event as the current one; restores the previous one afterwards.
	 * Intended for the runtime and for tests.
	 * @param event the event
	 * @param action the action
	 * @param <X> exception thrown by the action
	 * @throws X if the action throws
	 */
	public static <X extends Throwable> void runWith(Event<?> event, ThrowingRunnable<X> action) throws X {
		Slot slot = slot();
		Event<?> previous = slot.event;
		slot.event = event;
		try {
			action.run();
		}
		finally {
			slot.event = previous;
		}
	}

	/**
	 * A runnable that may throw.
	 *
	 * @param <X> exception type
	 */
	@FunctionalInterface
	public interface ThrowingRunnable<X extends Throwable> {

		void run() throws X;

	}

	private static Slot slot() {
		return (Thread.currentThread() instanceof HandlerThread thread) ? thread.slot : CURRENT.get();
	}

	/**
	 * The event being handled on one thread; read and written by that thread only.
	 */
	static final class Slot {

		private @Nullable Event<?> event;

	}

}
