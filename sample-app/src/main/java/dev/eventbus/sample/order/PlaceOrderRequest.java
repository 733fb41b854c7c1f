package dev.eventbus.sample.order;

import java.math.BigDecimal;
import java.util.List;

import dev.eventbus.sample.events.OrderItem;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /orders}. Fields are checked by the controller, so any may be
 * missing here.
 *
 * @param customerId id of the customer
 * @param amount total amount, positive
 * @param items ordered items, at least one
 */
public record PlaceOrderRequest(@Nullable String customerId, @Nullable BigDecimal amount,
		@Nullable List<OrderItem> items) {

}
