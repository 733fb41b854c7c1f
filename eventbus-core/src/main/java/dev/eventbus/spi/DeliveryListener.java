package dev.eventbus.spi;

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

}
