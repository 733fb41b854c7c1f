package dev.eventbus.sample.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishException;
import dev.eventbus.api.PublishResult;
import dev.eventbus.sample.events.OrderItem;
import dev.eventbus.sample.events.OrderPlaced;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders: stores the order and publishes {@code order.placed}, with the order id
 * as subject, the correlation id of the flow and the sales channel as a header, in one
 * transaction. With the outbox on, the event is recorded in that transaction and reaches
 * the broker only once the order is committed: there is never an order without its event,
 * nor an event without its order. Thread safe.
 */
@Service
public class OrderService {

	private final OrderBook orders;

	private final EventPublisher publisher;

	OrderService(OrderBook orders, EventPublisher publisher) {
		this.orders = orders;
		this.publisher = publisher;
	}

	/**
	 * Place an order.
	 * @param customerId id of the customer
	 * @param amount total amount
	 * @param items ordered items
	 * @param correlationId correlation id of the flow
	 * @param channel sales channel, sent as the {@code channel} header
	 * @return the order and the id of its {@code order.placed} event
	 * @throws PublishException if the bus did not accept the event; the order is then not
	 * kept
	 */
	@Transactional
	public PlacedOrder place(String customerId, BigDecimal amount, List<OrderItem> items, String correlationId,
			String channel) {
		Order order = new Order("ord-" + UUID.randomUUID(), customerId, amount, items, Instant.now(), correlationId,
				OrderStatus.PLACED);
		this.orders.save(order);
		EventMessage<OrderPlaced> message = EventMessage
			.of(new OrderPlaced(order.id(), customerId, amount, order.items()))
			.subject(order.id())
			.correlationId(correlationId)
			.header("channel", channel)
			.build();
		PublishResult result = this.publisher.publish(message);
		return new PlacedOrder(order, result.eventId());
	}

	/**
	 * An order that was placed.
	 *
	 * @param order the order
	 * @param eventId id of its {@code order.placed} event
	 */
	public record PlacedOrder(Order order, String eventId) {

	}

}
