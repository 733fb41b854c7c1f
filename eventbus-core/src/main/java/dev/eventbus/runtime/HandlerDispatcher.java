package dev.eventbus.runtime;

import java.util.List;

import dev.eventbus.spi.DeliveryListener;

/**
 * The listener of one subscription, which runs its handlers: a
 * {@link SubscriptionDispatcher} for the handlers of one group on one destination, or a
 * {@link BatchDispatcher} for one batch handler.
 */
interface HandlerDispatcher extends DeliveryListener {

	/**
	 * The handlers it runs, in registration order.
	 * @return the handlers
	 */
	List<HandlerDefinition> handlers();

	/**
	 * Add a handler, which receives from the next delivery on.
	 * @param pipeline the handler's pipeline
	 * @throws IllegalStateException if the dispatcher runs one handler only
	 */
	void add(HandlerPipeline pipeline);

	/**
	 * Remove a handler.
	 * @param handler the handler
	 * @return whether handlers remain
	 */
	boolean remove(HandlerDefinition handler);

}
