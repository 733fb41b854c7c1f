package dev.eventbus.autoconfigure;

import dev.eventbus.api.EventBusException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown at start-up when an {@code eventbus.*} property has a value the bus cannot run with.
 */
public class InvalidEventBusPropertyException extends EventBusException {

	private final String property;

	private final @Nullable Object value;

	private final String reason;

	/**
	 * Create an exception.
	 * @param property the property name, for example {@code eventbus.publish-timeout}
	 * @param value the invalid value
	 * @param reason what a valid value is, for example {@code must be a positive duration such as 30s}
	 */
	public InvalidEventBusPropertyException(String property, @Nullable Object value, String reason) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	public String getProperty() {
		return this.property;
	}

	public @Nullable Object getValue() {
		return this.value;
	}

	public String getReason() {
		return this.reason;
	}

}
