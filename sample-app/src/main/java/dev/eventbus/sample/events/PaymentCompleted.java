package dev.eventbus.sample.events;

import java.math.BigDecimal;

import dev.eventbus.api.EventType;

/**
 * The customer was charged for an order.
 *
 * @param orderId id of the order
 * @param customerId id of the customer charged
 * @param paymentId id of the payment at the gateway
 * @param amount amount charged
 */
@EventType("payment.completed")
public record PaymentCompleted(String orderId, String customerId, String paymentId, BigDecimal amount) {

}
