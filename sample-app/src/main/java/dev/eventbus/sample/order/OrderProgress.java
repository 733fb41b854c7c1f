package dev.eventbus.sample.order;

import dev.eventbus.api.EventHandler;
import dev.eventbus.sample.events.InventoryReserved;
import dev.eventbus.sample.events.OrderShipped;
import dev.eventbus.sample.events.PaymentCompleted;
import org.springframework.stereotype.Component;

/**
 * Moves orders through their statuses as the flow's events arrive. Three handler methods
 * on one bean: each is its own subscription, taking its type from its payload class.
 */
@Component
class OrderProgress {

	private final OrderBook orders;

	OrderProgress(OrderBook orders) {
		this.orders = orders;
	}

	@EventHandler
	void onStockReserved(InventoryReserved event) {
		this.orders.advance(event.orderId(), OrderStatus.STOCK_RESERVED);
	}

	@EventHandler
	void onPaid(PaymentCompleted event) {
		this.orders.advance(event.orderId(), OrderStatus.PAID);
	}

	@EventHandler
	void onShipped(OrderShipped event) {
		this.orders.advance(event.orderId(), OrderStatus.SHIPPED);
	}

}
