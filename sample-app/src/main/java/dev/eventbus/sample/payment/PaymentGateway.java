package dev.eventbus.sample.payment;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * A simulated payment gateway. A charge fails transiently at the configured rate and
 * always for a declined customer; a successful charge is idempotent per order. The
 * declined customers start from {@code sample.payment.declined-customers} and change at
 * run time. Thread safe.
 */
@Component
public class PaymentGateway {

	private final double failureRate;

	private final Set<String> declinedCustomers = ConcurrentHashMap.newKeySet();

	private final Map<String, String> payments = new ConcurrentHashMap<>();

	PaymentGateway(PaymentProperties properties) {
		this.failureRate = properties.failureRate();
		this.declinedCustomers.addAll(properties.declinedCustomers());
	}

	/**
	 * Charge a customer for an order, once.
	 * @param orderId id of the order, the idempotency key
	 * @param customerId id of the customer
	 * @param amount amount to charge
	 * @return id of the payment, the same on every successful call for one order
	 * @throws PaymentDeclinedException if the customer is declined
	 * @throws PaymentGatewayUnavailableException on a transient failure
	 */
	public String charge(String orderId, String customerId, BigDecimal amount) {
		if (this.declinedCustomers.contains(customerId)) {
			throw new PaymentDeclinedException(
					"Card of customer " + customerId + " declined a charge of " + amount + " for order " + orderId);
		}
		if (ThreadLocalRandom.current().nextDouble() < this.failureRate) {
			throw new PaymentGatewayUnavailableException("Payment gateway timed out charging order " + orderId);
		}
		return this.payments.computeIfAbsent(orderId, (id) -> "pay-" + UUID.randomUUID());
	}

	/**
	 * Decline every later charge of a customer.
	 * @param customerId id of the customer
	 */
	public void decline(String customerId) {
		this.declinedCustomers.add(customerId);
	}

	/**
	 * Accept charges of a customer again.
	 * @param customerId id of the customer
	 * @return whether the customer was declined
	 */
	public boolean accept(String customerId) {
		return this.declinedCustomers.remove(customerId);
	}

	/**
	 * Customers currently declined.
	 * @return their ids, sorted
	 */
	public Set<String> declinedCustomers() {
		return new TreeSet<>(this.declinedCustomers);
	}

}
