package dev.eventbus.sample.payment;

/**
 * The gateway declined a charge: it fails on every attempt until the customer is accepted
 * again.
 */
public class PaymentDeclinedException extends RuntimeException {

	public PaymentDeclinedException(String message) {
		super(message);
	}

}
