package dev.eventbus.sample.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.eventbus.sample.events.OrderItem;

/**
 * An order. Immutable: a status change returns a new instance.
 *
 * @param id id of the order, the subject of all its events
 * @param customerId id of the customer
 * @param amount total amount
 * @param items ordered items
 * @param placedAt when the order was accepted
 * @param correlationId correlation id shared by every event of the order's flow
 * @param status current status
 */
public record Order(String id, String customerId, BigDecimal amount, List<OrderItem> items, Instant placedAt,
		String correlationId, OrderStatus status) {

	public Order {
		items = List.copyOf(items);
	}

	/**
	 * Return this order moved forward to a status; a status at or behind the current one
	 * leaves it unchanged, so late or redelivered events never move an order back.
	 * @param next the status reached
	 * @return the order with the later of both statuses
	 */
	public Order advancedTo(OrderStatus next) {
		if (next.compareTo(this.status) <= 0) {
			return this;
		}
		return new Order(this.id, this.customerId, this.amount, this.items, this.placedAt, this.correlationId, next);
	}

}
