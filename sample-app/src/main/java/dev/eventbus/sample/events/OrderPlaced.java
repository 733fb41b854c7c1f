package dev.eventbus.sample.events;

import java.math.BigDecimal;
import java.util.List;

import dev.eventbus.api.EventType;

/**
 * A customer placed an order. Published with the order id as subject and a
 * {@code channel} header.
 *
 * @param orderId id of the order
 * @param customerId id of the customer
 * @param amount total amount
 * @param items ordered items
 */
@EventType("order.placed")
public record OrderPlaced(String orderId, String customerId, BigDecimal amount, List<OrderItem> items) {

}
