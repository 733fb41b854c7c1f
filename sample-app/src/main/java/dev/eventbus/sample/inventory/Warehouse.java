package dev.eventbus.sample.inventory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.sample.events.OrderItem;
import org.springframework.stereotype.Component;

/**
 * Stock reservations and deliveries, in memory, with unlimited stock. Reserving is
 * idempotent per order, so a redelivered {@code order.placed} reserves nothing twice.
 * Thread safe.
 */
@Component
public class Warehouse {

	private final Map<String, String> reservations = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> reservedUnits = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> deliveredUnits = new ConcurrentHashMap<>();

	/**
	 * Reserve the items of an order, once.
	 * @param orderId id of the order
	 * @param items the items
	 * @return id of the order's reservation, the same on every call for one order
	 */
	public String reserve(String orderId, List<OrderItem> items) {
		return this.reservations.computeIfAbsent(orderId, (id) -> {
			items.forEach((item) -> this.reservedUnits.computeIfAbsent(item.sku(), (sku) -> new AtomicInteger())
				.addAndGet(item.quantity()));
			return "res-" + UUID.randomUUID();
		});
	}

	/**
	 * Units of a SKU reserved so far.
	 * @param sku the stock keeping unit
	 * @return the units
	 */
	public int reservedUnits(String sku) {
		AtomicInteger units = this.reservedUnits.get(sku);
		return (units != null) ? units.get() : 0;
	}

	/**
	 * Take a supplier's delivery.
	 * @param sku the stock keeping unit
	 * @param quantity units delivered
	 */
	public void restock(String sku, int quantity) {
		this.deliveredUnits.computeIfAbsent(sku, (key) -> new AtomicInteger()).addAndGet(quantity);
	}

	/**
	 * Units of a SKU delivered so far.
	 * @param sku the stock keeping unit
	 * @return the units
	 */
	public int deliveredUnits(String sku) {
		AtomicInteger units = this.deliveredUnits.get(sku);
		return (units != null) ? units.get() : 0;
	}

}
