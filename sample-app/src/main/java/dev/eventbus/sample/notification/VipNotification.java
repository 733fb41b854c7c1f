package dev.eventbus.sample.notification;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A note to the VIP desk about a large order.
 *
 * @param orderId id of the order
 * @param customerId id of the customer
 * @param amount total amount
 * @param channel sales channel the order came through
 * @param correlationId correlation id of the order's flow
 * @param sentAt when the note was sent
 */
public record VipNotification(String orderId, String customerId, BigDecimal amount, String channel,
		@Nullable String correlationId, Instant sentAt) {

}
