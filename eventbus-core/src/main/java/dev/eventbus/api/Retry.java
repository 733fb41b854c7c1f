package dev.eventbus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retry policy of one {@link EventHandler}, in the vocabulary of Spring Framework's
 * {@code RetryPolicy}: exponential backoff with jitter, then dead letter. Every attribute
 * left at its default takes the value of {@code eventbus.handler.retry.*}. Durations are
 * strings such as {@code 200ms}, {@code 5s} or {@code PT1M}; placeholders are resolved.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

	/**
	 * Deliveries after the first before the event is dead-lettered; 0 disables retry.
	 * @return the retries, or -1 for the configured default
	 */
	long maxRetries() default -1;

	/**
	 * Delay before the first retry.
	 * @return the delay, or empty for the configured default
	 */
	String delay() default "";

	/**
	 * Factor applied to the delay after each failed delivery.
	 * @return the multiplier, or -1 for the configured default
	 */
	double multiplier() default -1;

	/**
	 * Upper bound of the delay.
	 * @return the bound, or empty for the configured default
	 */
	String maxDelay() default "";

	/**
	 * Random amount added to or subtracted from each delay.
	 * @return the jitter, or empty for the configured default
	 */
	String jitter() default "";

	/**
	 * Exceptions, subclasses included, worth a retry; any other is dead-lettered at once.
	 * @return the exception types, or empty for every exception
	 */
	Class<? extends Throwable>[] includes() default {};

	/**
	 * Exceptions, subclasses included, that no retry can fix: the event is dead-lettered
	 * at once.
	 * @return the exception types
	 */
	Class<? extends Throwable>[] excludes() default {};

}
