package dev.eventbus.spi;

import java.util.List;

/**
 * Receives the deliveries of a subscription: the runtime implements it. Called on adapter
 * threads; for ordered adapters never concurrently for the same key. It never throws and
 * settles every delivery it is given, possibly later and on another thread.
 */
@FunctionalInterface
public interface DeliveryListener {

	/**
	 * Handle a delivery.
	 * @param delivery the delivery
	 */
	void onDelivery(Delivery delivery);

	/**
	 * Handle a batch, for a subscription whose spec has a {@link SubscriptionSpec#batch()
	 * batch}: every delivery is settled on its own. The default hands each to
	 * {@link #onDelivery}.
	 * @param deliveries the deliveries, in the order they were read
	 */
	default void onBatch(List<? extends Delivery> deliveries) {
		deliveries.forEach(this::onDelivery);
	}

}
