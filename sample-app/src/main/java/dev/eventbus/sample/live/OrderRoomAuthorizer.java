package dev.eventbus.sample.live;

import java.security.Principal;

import dev.eventbus.sample.order.OrderBook;
import dev.eventbus.web.realtime.RoomAuthorizer;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Who may join which room of the real-time bridge: a customer joins {@code order:<id>}
 * only for an order of their own, the operator joins any room. Rooms are named by the
 * forwarding rule in {@code application.yml} ({@code 'order:' + subject}).
 */
@Component
class OrderRoomAuthorizer implements RoomAuthorizer {

	private static final String ORDER_ROOM = "order:";

	private static final String OPERATOR = "ROLE_OPERATOR";

	private final OrderBook orders;

	OrderRoomAuthorizer(OrderBook orders) {
		this.orders = orders;
	}

	@Override
	public boolean mayJoin(Principal user, String room) {
		if (isOperator(user)) {
			return true;
		}
		if (!room.startsWith(ORDER_ROOM)) {
			return false;
		}
		String orderId = room.substring(ORDER_ROOM.length());
		return this.orders.find(orderId).map((order) -> order.customerId().equals(user.getName())).orElse(false);
	}

	private static boolean isOperator(Principal user) {
		return user instanceof Authentication authentication && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> OPERATOR.equals(authority.getAuthority()));
	}

}
