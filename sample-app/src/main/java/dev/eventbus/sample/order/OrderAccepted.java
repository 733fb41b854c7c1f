package dev.eventbus.sample.order;

/**
 * Body of the {@code 202 Accepted} answer to {@code POST /orders}.
 *
 * @param orderId id of the new order
 * @param eventId id of its {@code order.placed} event
 * @param correlationId correlation id every event of the order's flow carries
 */
public record OrderAccepted(String orderId, String eventId, String correlationId) {

}
