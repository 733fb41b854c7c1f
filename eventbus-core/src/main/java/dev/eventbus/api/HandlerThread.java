package dev.eventbus.api;

import org.jspecify.annotations.Nullable;

/**
 * A thread that holds the event it is handling in a field, so that {@link EventContext} finds it
 * without a {@link ThreadLocal} lookup on every handler invocation and every publish from a
 * handler. Adapters that create the threads their handlers run on create these; on any other
 * thread {@link EventContext} works the same, through a thread local.
 */
public class HandlerThread extends Thread {

	/** The event being handled. */
	final EventContext.Slot slot = new EventContext.Slot();

	/**
	 * Create a thread.
	 * @param group its thread group, or {@code null} for the creating thread's
	 * @param task what it runs
	 * @param name its name
	 */
	public HandlerThread(@Nullable ThreadGroup group, Runnable task, String name) {
		super(group, task, name);
	}

}
