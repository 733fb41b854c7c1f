package dev.eventbus.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.eventbus.aot.EventHandlerReflectiveProcessor;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as a handler of events.
 * <p>
 * Parameters may be, in any order: the payload (converted from JSON into the parameter
 * type), {@link Event Event&lt;T&gt;} (envelope with a converted payload), a
 * {@code JsonNode} or {@code Map<String, Object>} payload for raw access, and
 * {@link EventHeader @EventHeader} values.
 * <p>
 * Type patterns: {@code *} matches one or more characters, dots included, so
 * {@code photo.*} matches {@code photo.uploaded} and {@code photo.processing.completed},
 * and {@code *.processing.*} matches {@code photo.processing.started}. Without a pattern
 * the handler takes the type of its payload parameter ({@link EventType} or the class's
 * simple name).
 * <p>
 * The handlers of one consumer group on one destination share one subscription: each
 * event is read and decoded once and given to every handler whose patterns match; it is
 * acknowledged once all of them are done with it, and a failing handler's retries re-run
 * only that handler. Within a group, application instances compete for events; across
 * groups every group gets every event. A handler that needs its own pace sets
 * {@link #isolated()}. Delivery is at-least-once on persistent adapters: handlers should
 * be idempotent (the event id stays the same across redeliveries).
 * <p>
 * A method whose parameter is a {@code List<T>} or {@code List<Event<T>>} is a batch
 * handler: it receives up to {@link #maxBatchSize()} events at once, from one destination
 * and one consumer group, and always has a subscription of its own (as if
 * {@link #isolated()}). It returns {@code void} or a {@link BatchResult} naming the items
 * that failed, or throws a {@link BatchItemFailedException} naming the item it stopped
 * at; any other exception fails every item. Each item is settled on its own: those that
 * succeeded are never delivered again, each failed one is retried by the retry policy and
 * then dead-lettered on its own. When the adapter orders per subject, the items of a
 * subject after one that is retried are given back with it, unhandled, and come back in
 * their order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(EventHandlerReflectiveProcessor.class)
public @interface EventHandler {

	/**
	 * Alias for {@link #types()}.
	 * @return the type patterns
	 */
	@AliasFor("types")
	String[] value() default {};

	/**
	 * Type patterns the handler receives.
	 * @return the type patterns; empty for the payload parameter's type
	 */
	@AliasFor("value")
	String[] types() default {};

	/**
	 * Identifier of the handler, stable across instances and releases: it names the
	 * subscription on the broker. Defaults to {@code SimpleClassName.methodName}.
	 * @return the id
	 */
	String id() default "";

	/**
	 * Consumer group; defaults to {@code eventbus.handler.group}, else
	 * {@code spring.application.name}. Placeholders are resolved.
	 * @return the group
	 */
	String group() default "";

	/**
	 * Destinations to subscribe to; defaults to every destination the routes can send the
	 * handler's types to. Placeholders are resolved.
	 * @return the destinations
	 */
	String[] destinations() default {};

	/**
	 * Events handled in parallel by this handler in this instance; serial within one
	 * subject.
	 * @return the concurrency, or -1 for {@code eventbus.handler.concurrency}
	 */
	int concurrency() default -1;

	/**
	 * SpEL condition over the envelope; the root object is the {@link Event} (payload as
	 * a {@code Map} or converted object), so {@code subject != null} and
	 * {@code headers['tenant'] == 'a'} work. Events for which it is false are
	 * acknowledged and skipped.
	 * @return the condition, or empty for none
	 */
	String condition() default "";

	/**
	 * Retry policy.
	 * @return the policy
	 */
	Retry retry() default @Retry;

	/**
	 * Whether an event is written to the dead-letter destination after its last failed
	 * attempt; when {@code false} it is logged and dropped.
	 * @return whether to dead-letter
	 */
	boolean deadLetter() default true;

	/**
	 * Longest a handling may run, such as {@code 5s}; past it the handler's thread is
	 * interrupted and the handling counts as failed (retried, then dead-lettered) even if
	 * the handler returns later. Placeholders are resolved.
	 * @return the timeout, or empty for {@code eventbus.handler.timeout}
	 */
	String timeout() default "";

	/**
	 * Whether the handler gets a subscription of its own (consumer group
	 * {@code <group>.<id>} on the broker) instead of sharing its group's: its own pace,
	 * its own consumer, every event of its destinations fetched for it alone.
	 * @return whether it is isolated
	 */
	boolean isolated() default false;

	/**
	 * Whether the handler applies each event once: the bus records the event in its inbox
	 * in the transaction the handler runs in, and skips an event recorded before (a
	 * redelivery, a replay, a duplicate publish). Needs an inbox ({@code eventbus-jdbc}
	 * with {@code eventbus.inbox.enabled}). Placeholders are resolved.
	 * @return {@code true} or {@code false}, or empty for
	 * {@code eventbus.handler.idempotent}
	 */
	String idempotent() default "";

	/**
	 * For a batch handler, the most events in one batch.
	 * @return the size, or -1 for {@code eventbus.handler.batch.max-size}
	 */
	int maxBatchSize() default -1;

	/**
	 * For a batch handler, the longest the adapter waits for a batch to fill once it
	 * holds its first event, such as {@code 200ms}. Placeholders are resolved.
	 * @return the wait, or empty for {@code eventbus.handler.batch.max-wait}
	 */
	String maxBatchWait() default "";

}
