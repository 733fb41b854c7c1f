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

	/**
	 * Whether an event was ever set on a thread that is not a {@link HandlerThread}. Until then
	 * (an application whose handlers all run on handler threads) a publish from any other thread
	 * finds it has no current event without a thread-local lookup. Written once, by the first such
	 * thread, which sees its own write; any other thread that reads {@code false} has never set an
	 * event itself, so has none.
	 */
	private static volatile boolean setOffHandlerThreads;

	private EventContext() {
	}

	/**
	 * Return the event being handled on this thread.
	 * @return the event, or empty outside a handler
	 */
	public static Optional<Event<?>> current() {
		if (Thread.currentThread() instanceof HandlerThread thread) {
			return Optional.ofNullable(thread.slot.event);
		}
		return setOffHandlerThreads ? Optional.ofNullable(CURRENT.get().event) : Optional.empty();
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
		Slot slot;
		if (Thread.currentThread() instanceof HandlerThread thread) {
			slot = thread.slot;
		}
		else {
			if (!setOffHandlerThreads) {
				setOffHandlerThreads = true;
			}
			slot = CURRENT.get();
		}
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

	/**
	 * The event being handled on one thread; read and written by that thread only.
	 */
	static final class Slot {

		private @Nullable Event<?> event;

	}

}
