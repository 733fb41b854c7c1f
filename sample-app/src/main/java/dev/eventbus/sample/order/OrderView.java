package dev.eventbus.sample.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.eventbus.sample.audit.TimelineEntry;
import dev.eventbus.sample.events.OrderItem;

/**
 * Body of {@code GET /orders/{id}}: the order with the timeline of its events.
 *
 * @param id id of the order
 * @param customerId id of the customer
 * @param amount total amount
 * @param items ordered items
 * @param status current status
 * @param placedAt when the order was accepted
 * @param correlationId correlation id of the order's flow
 * @param timeline events about the order, oldest first
 */
public record OrderView(String id, String customerId, BigDecimal amount, List<OrderItem> items, OrderStatus status,
		Instant placedAt, String correlationId, List<TimelineEntry> timeline) {

	static OrderView of(Order order, List<TimelineEntry> timeline) {
		return new OrderView(order.id(), order.customerId(), order.amount(), order.items(), order.status(),
				order.placedAt(), order.correlationId(), timeline);
	}

}
