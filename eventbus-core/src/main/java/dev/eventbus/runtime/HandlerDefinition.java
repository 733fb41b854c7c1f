package dev.eventbus.runtime;

import java.lang.reflect.Method;
import java.util.List;

import dev.eventbus.codec.TypePattern;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;

/**
 * One {@code @EventHandler} method, resolved and validated at start-up. Immutable.
 *
 * @param id handler id, stable across instances: names the subscription
 * @param beanName name of the bean declaring it
 * @param method the method
 * @param patterns type patterns it receives
 * @param group consumer group
 * @param destinations destinations it subscribes to
 * @param concurrency events handled in parallel
 * @param condition SpEL condition over the envelope, or {@code null}
 * @param retry retry policy
 * @param deadLetter whether exhausted events are dead-lettered
 * @param invoker invokes the method with resolved arguments
 */
public record HandlerDefinition(String id, String beanName, Method method, List<TypePattern> patterns, String group,
		List<String> destinations, int concurrency, @Nullable Expression condition, RetrySettings retry,
		boolean deadLetter, HandlerInvoker invoker) {

	/**
	 * Whether the handler takes events of a type.
	 * @param type the event type
	 * @return whether a pattern matches
	 */
	public boolean accepts(String type) {
		for (TypePattern pattern : this.patterns) {
			if (pattern.matches(type)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Consumer group on the broker: the handler's group and its id, so that each handler is its own
	 * subscription. Instances of one application share it and compete; other handlers and other
	 * groups each get every event.
	 * @return {@code group + "." + id}
	 */
	public String consumerGroup() {
		return this.group + "." + this.id;
	}

	/**
	 * Method signature for messages, as {@code Class.method(Param)}.
	 * @return the description
	 */
	public String methodDescription() {
		return describe(this.method);
	}

	static String describe(Method method) {
		StringBuilder text = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			text.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return text.append(')').toString();
	}

}
