package dev.eventbus.sample.inventory;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.sample.events.InventoryReserved;
import dev.eventbus.sample.events.InventoryRestocked;
import dev.eventbus.sample.events.OrderPlaced;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Reserves stock for every placed order and publishes {@code inventory.reserved}; takes
 * the stock deliveries suppliers post over HTTP ({@code inventory.restocked}). The new
 * event sets no correlation id: the publisher takes it from the {@code order.placed}
 * event being handled, and that event's id becomes the causation id.
 */
@Component
class InventoryHandler {

	private static final Log logger = LogFactory.getLog(InventoryHandler.class);

	private final Warehouse warehouse;

	private final EventPublisher publisher;

	InventoryHandler(Warehouse warehouse, EventPublisher publisher) {
		this.warehouse = warehouse;
		this.publisher = publisher;
	}

	@EventHandler
	void reserveStock(Event<OrderPlaced> event) {
		OrderPlaced order = event.payload();
		String reservationId = this.warehouse.reserve(order.orderId(), order.items());
		InventoryReserved reserved = new InventoryReserved(order.orderId(), reservationId, order.customerId(),
				order.amount());
		this.publisher.publish(EventMessage.of(reserved).subject(event.subject()).build());
		logger.info("Reserved stock for order " + order.orderId() + " (correlation " + event.correlationId() + ")");
	}

	@EventHandler
	void restock(Event<InventoryRestocked> event) {
		this.warehouse.restock(event.payload().sku(), event.payload().quantity());
		logger.info(
				"Restocked " + event.payload().quantity() + " of " + event.payload().sku() + " from " + event.source());
	}

}
