package dev.eventbus.autoconfigure.endpoint;

/**
 * A part of the {@code eventbus} actuator endpoint contributed by a module of the bus,
 * such as the real-time bridge's clients and rooms: a bean of this type appears in the
 * endpoint's {@code extensions} under its name.
 */
public interface EventBusEndpointContribution {

	/**
	 * The name of the part.
	 * @return its key under {@code extensions}
	 */
	String name();

	/**
	 * Describe the part now.
	 * @return a value the endpoint writes as JSON
	 */
	Object describe();

}
