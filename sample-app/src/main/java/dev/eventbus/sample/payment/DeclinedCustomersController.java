package dev.eventbus.sample.payment;

import java.util.Set;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Declines or accepts a customer's charges at the simulated gateway: {@code PUT
 * /payments/declined-customers/{id}} declines, {@code DELETE} accepts again (the customer
 * fixed their card), after which a replayed dead letter succeeds.
 */
@RestController
@RequestMapping("/payments/declined-customers")
class DeclinedCustomersController {

	private final PaymentGateway gateway;

	DeclinedCustomersController(PaymentGateway gateway) {
		this.gateway = gateway;
	}

	@GetMapping
	Set<String> list() {
		return this.gateway.declinedCustomers();
	}

	@PutMapping("/{customerId}")
	ResponseEntity<Void> decline(@PathVariable String customerId) {
		this.gateway.decline(customerId);
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/{customerId}")
	ResponseEntity<Void> accept(@PathVariable String customerId) {
		return this.gateway.accept(customerId) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

}
