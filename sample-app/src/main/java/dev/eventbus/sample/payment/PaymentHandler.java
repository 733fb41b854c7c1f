package dev.eventbus.sample.payment;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.Retry;
import dev.eventbus.sample.events.InventoryReserved;
import dev.eventbus.sample.events.PaymentCompleted;
import org.springframework.stereotype.Component;

/**
 * Charges every order whose stock is reserved and publishes {@code payment.completed}. A
 * failed charge is retried with exponential backoff (about 100 ms, 200 ms, then 400 ms,
 * with jitter); after the fourth failed attempt the {@code inventory.reserved} event goes
 * to the dead letters, where it waits for a replay. Idempotent through the inbox: a
 * redelivered or replayed {@code inventory.reserved} that was handled before is skipped,
 * and its {@code payment.completed} is recorded in the outbox in the same transaction as
 * the inbox record, so both or neither happen.
 */
@Component
class PaymentHandler {

	private final PaymentGateway gateway;

	private final EventPublisher publisher;

	PaymentHandler(PaymentGateway gateway, EventPublisher publisher) {
		this.gateway = gateway;
		this.publisher = publisher;
	}

	@EventHandler(retry = @Retry(maxRetries = 3, delay = "100ms", multiplier = 2), idempotent = "true")
	void charge(InventoryReserved reserved) {
		String paymentId = this.gateway.charge(reserved.orderId(), reserved.customerId(), reserved.amount());
		PaymentCompleted completed = new PaymentCompleted(reserved.orderId(), reserved.customerId(), paymentId,
				reserved.amount());
		this.publisher.publish(EventMessage.of(completed).subject(reserved.orderId()).build());
	}

}
