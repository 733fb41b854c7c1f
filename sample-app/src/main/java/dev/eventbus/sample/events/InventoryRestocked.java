package dev.eventbus.sample.events;

import dev.eventbus.api.EventType;

/**
 * A supplier delivered stock. Published by suppliers outside the service, over HTTP (the
 * event bus's ingestion endpoint), with the SKU's URN as subject.
 *
 * @param sku the stock keeping unit
 * @param quantity units delivered
 */
@EventType("inventory.restocked")
public record InventoryRestocked(String sku, int quantity) {

}
