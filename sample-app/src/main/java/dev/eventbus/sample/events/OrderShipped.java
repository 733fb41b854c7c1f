package dev.eventbus.sample.events;

import dev.eventbus.api.EventType;

/**
 * A paid order left the warehouse.
 *
 * @param orderId id of the order
 * @param customerId id of the customer the parcel goes to
 * @param carrier carrier that took the parcel
 * @param trackingNumber tracking number at the carrier
 */
@EventType("order.shipped")
public record OrderShipped(String orderId, String customerId, String carrier, String trackingNumber) {

}
