package dev.eventbus.sample.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.eventbus.sample.events.OrderItem;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders by id, in the {@code orders} table. Statements join the caller's transaction, so
 * an order and the events published with it commit together. Thread safe.
 */
@Repository
public class OrderBook {

	private static final TypeReference<List<OrderItem>> ITEMS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper jsonMapper;

	OrderBook(JdbcClient jdbc, JsonMapper jsonMapper) {
		this.jdbc = jdbc;
		this.jsonMapper = jsonMapper;
	}

	void save(Order order) {
		this.jdbc
			.sql("INSERT INTO orders (id, customer_id, amount, items, placed_at, correlation_id, status)"
					+ " VALUES (?, ?, ?, ?, ?, ?, ?)")
			.params(order.id(), order.customerId(), order.amount(), this.jsonMapper.writeValueAsString(order.items()),
					Timestamp.from(order.placedAt()), order.correlationId(), order.status().name())
			.update();
	}

	/**
	 * Find an order.
	 * @param orderId id of the order
	 * @return the order, or empty if unknown
	 */
	public Optional<Order> find(String orderId) {
		return this.jdbc.sql("SELECT * FROM orders WHERE id = ?").param(orderId).query(this::order).optional();
	}

	/**
	 * The orders of a customer.
	 * @param customerId id of the customer
	 * @return the orders, newest first; empty when none
	 */
	public List<Order> findByCustomer(String customerId) {
		return this.jdbc.sql("SELECT * FROM orders WHERE customer_id = ? ORDER BY placed_at DESC")
			.param(customerId)
			.query(this::order)
			.list();
	}

	/**
	 * Move an order forward to a status; a status at or behind the current one leaves it
	 * unchanged (see {@link Order#advancedTo(OrderStatus)}), so late or redelivered
	 * events never move an order back.
	 * @param orderId id of the order
	 * @param status the status reached
	 * @return whether the order is known
	 */
	boolean advance(String orderId, OrderStatus status) {
		List<String> earlier = Arrays.stream(OrderStatus.values())
			.filter((candidate) -> candidate.compareTo(status) < 0)
			.map(OrderStatus::name)
			.toList();
		if (!earlier.isEmpty()) {
			this.jdbc.sql("UPDATE orders SET status = :status WHERE id = :id AND status IN (:earlier)")
				.param("status", status.name())
				.param("id", orderId)
				.param("earlier", earlier)
				.update();
		}
		return find(orderId).isPresent();
	}

	private Order order(ResultSet rs, int rowNum) throws SQLException {
		return new Order(rs.getString("id"), rs.getString("customer_id"), rs.getBigDecimal("amount"),
				this.jsonMapper.readValue(rs.getString("items"), ITEMS), rs.getTimestamp("placed_at").toInstant(),
				rs.getString("correlation_id"), OrderStatus.valueOf(rs.getString("status")));
	}

}
