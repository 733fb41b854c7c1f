package dev.eventbus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@link EventHandler} method parameter to an event header (a CloudEvents
 * extension attribute). The parameter must be a {@code String}; it is {@code null} when
 * the header is absent and {@link #required()} is {@code false}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EventHeader {

	/**
	 * Header name.
	 * @return the name
	 */
	String value();

	/**
	 * Whether an event without the header is a failure of the handler (dead-lettered at
	 * once).
	 * @return whether the header is required
	 */
	boolean required() default true;

}
