package dev.eventbus.spi;

/**
 * Receives the deliveries of a subscription. Called on adapter threads; for ordered adapters never
 * concurrently for the same key.
 */
@FunctionalInterface
public interface DeliveryListener {

	/**
	 * Handle a delivery. It must eventually be settled; a listener that throws has its delivery
	 * retried by the adapter after a short delay.
	 * @param delivery the delivery
	 */
	void onDelivery(Delivery delivery);

}
