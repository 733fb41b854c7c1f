package dev.eventbus.sample.notification;

import java.time.Instant;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventHeader;
import dev.eventbus.sample.events.OrderPlaced;
import org.springframework.stereotype.Component;

/**
 * Tells the VIP desk about orders above 1000. The SpEL condition runs over the envelope,
 * so orders at or below 1000 are acknowledged and skipped without invoking the method;
 * the sales channel comes from the {@code channel} header.
 */
@Component
class VipNotificationHandler {

	private final VipDesk desk;

	VipNotificationHandler(VipDesk desk) {
		this.desk = desk;
	}

	@EventHandler(condition = "payload.amount > 1000")
	void notifyVipDesk(Event<OrderPlaced> event, @EventHeader("channel") String channel) {
		OrderPlaced order = event.payload();
		this.desk.notify(new VipNotification(order.orderId(), order.customerId(), order.amount(), channel,
				event.correlationId(), Instant.now()));
	}

}
