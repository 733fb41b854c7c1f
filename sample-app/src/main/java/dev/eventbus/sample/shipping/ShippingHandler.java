package dev.eventbus.sample.shipping;

import java.util.Locale;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.sample.events.OrderShipped;
import dev.eventbus.sample.events.PaymentCompleted;
import org.springframework.stereotype.Component;

/**
 * Ships every paid order and publishes {@code order.shipped}. {@code payment.completed}
 * arrives from the {@code payments} destination (see {@code eventbus.routes}),
 * {@code order.shipped} goes to the default one: the handler never names a destination.
 */
@Component
class ShippingHandler {

	private static final String CARRIER = "ACME Freight";

	private final EventPublisher publisher;

	ShippingHandler(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@EventHandler
	void ship(Event<PaymentCompleted> event) {
		String orderId = event.payload().orderId();
		String trackingNumber = "TRK-" + event.id().substring(0, 8).toUpperCase(Locale.ROOT);
		OrderShipped shipped = new OrderShipped(orderId, event.payload().customerId(), CARRIER, trackingNumber);
		this.publisher.publish(EventMessage.of(shipped).subject(event.subject()).build());
	}

}
