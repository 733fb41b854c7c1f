package dev.eventbus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the event type of a payload class. Without it the type is the class's simple
 * name.
 * <p>
 * Annotated classes, together with the payload types of {@link EventHandler} methods,
 * form the type registry: an incoming event is only ever converted into a class
 * registered for its type.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EventType {

	/**
	 * Event type, for example {@code order.created}.
	 * @return the type
	 */
	String value();

}
