package dev.eventbus.sample.events;

import java.math.BigDecimal;

import dev.eventbus.api.EventType;

/**
 * Stock for every item of an order is reserved. Carries what payment needs, so payment
 * does not call back into the order service.
 *
 * @param orderId id of the order
 * @param reservationId id of the stock reservation
 * @param customerId id of the customer to charge
 * @param amount amount to charge
 */
@EventType("inventory.reserved")
public record InventoryReserved(String orderId, String reservationId, String customerId, BigDecimal amount) {

}
