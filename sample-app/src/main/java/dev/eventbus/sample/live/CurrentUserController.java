package dev.eventbus.sample.live;

import java.security.Principal;
import java.util.List;

import dev.eventbus.sample.order.Order;
import dev.eventbus.sample.order.OrderBook;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in user, for the live page: {@code GET /me} gives their name and roles,
 * {@code GET /me/orders} their orders, newest first. Both need an authenticated user (see
 * {@code SampleSecurity}).
 */
@RestController
@RequestMapping("/me")
class CurrentUserController {

	private final OrderBook orders;

	CurrentUserController(OrderBook orders) {
		this.orders = orders;
	}

	@GetMapping
	CurrentUser me(Authentication user) {
		List<String> roles = user.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority != null && authority.startsWith("ROLE_"))
			.map((role) -> role.substring("ROLE_".length()))
			.toList();
		return new CurrentUser(user.getName(), roles);
	}

	@GetMapping("/orders")
	List<Order> orders(Principal user) {
		return this.orders.findByCustomer(user.getName());
	}

	/**
	 * Body of {@code GET /me}.
	 *
	 * @param name the user's name, also their customer id
	 * @param roles the user's roles, such as {@code CUSTOMER} or {@code OPERATOR}
	 */
	record CurrentUser(String name, List<String> roles) {

	}

}
