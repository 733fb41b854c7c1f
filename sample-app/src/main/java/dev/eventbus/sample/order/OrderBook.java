package dev.eventbus.sample.order;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Repository;

/**
 * Orders by id, in memory. Thread safe.
 */
@Repository
public class OrderBook {

	private final Map<String, Order> orders = new ConcurrentHashMap<>();

	void save(Order order) {
		this.orders.put(order.id(), order);
	}

	void remove(String orderId) {
		this.orders.remove(orderId);
	}

	/**
	 * Find an order.
	 * @param orderId id of the order
	 * @return the order, or empty if unknown
	 */
	public Optional<Order> find(String orderId) {
		return Optional.ofNullable(this.orders.get(orderId));
	}

	/**
	 * Move an order forward to a status; see {@link Order#advancedTo(OrderStatus)}.
	 * @param orderId id of the order
	 * @param status the status reached
	 * @return whether the order is known
	 */
	boolean advance(String orderId, OrderStatus status) {
		return this.orders.computeIfPresent(orderId, (id, order) -> order.advancedTo(status)) != null;
	}

}
