package dev.eventbus.sample.payment;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Behaviour of the simulated payment gateway, under {@code sample.payment}.
 *
 * @param failureRate share of charges, from 0 to 1, that fail transiently and are retried
 * @param declinedCustomers customers whose every charge is declined, until removed at run
 * time
 */
@ConfigurationProperties("sample.payment")
public record PaymentProperties(@DefaultValue("0.2") double failureRate,
		@DefaultValue("declined") Set<String> declinedCustomers) {

	public PaymentProperties {
		if (failureRate < 0 || failureRate > 1) {
			throw new IllegalArgumentException(
					"sample.payment.failure-rate must be between 0 and 1, was " + failureRate);
		}
		declinedCustomers = Set.copyOf(declinedCustomers);
	}

}
