package dev.eventbus.sample.payment;

/**
 * The gateway did not answer: a transient failure that a later attempt may not see.
 */
public class PaymentGatewayUnavailableException extends RuntimeException {

	public PaymentGatewayUnavailableException(String message) {
		super(message);
	}

}
