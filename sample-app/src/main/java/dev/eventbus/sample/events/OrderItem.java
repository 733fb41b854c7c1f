package dev.eventbus.sample.events;

/**
 * One line of an order.
 *
 * @param sku stock keeping unit
 * @param quantity units ordered
 */
public record OrderItem(String sku, int quantity) {

}
