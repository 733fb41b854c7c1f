package dev.eventbus.runtime;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.codec.TypePattern;
import org.jspecify.annotations.Nullable;
import org.springframework.expression.Expression;

/**
 * One registered handler, resolved and validated when it was registered: its public
 * {@link HandlerInfo} and what the runtime needs to run it. Thread safe.
 */
final class HandlerDefinition {

	private static final int MAX_CACHED_TYPES = 1_024;

	private final HandlerInfo info;

	private final List<TypePattern> patterns;

	private final @Nullable Expression condition;

	private final HandlerInvoker invoker;

	/**
	 * Whether the handler takes a type, for the types seen so far (a wildcard costs a
	 * regex match).
	 */
	private final Map<String, Boolean> acceptedTypes = new ConcurrentHashMap<>();

	HandlerDefinition(HandlerInfo info, List<TypePattern> patterns, @Nullable Expression condition,
			HandlerInvoker invoker) {
		this.info = info;
		this.patterns = List.copyOf(patterns);
		this.condition = condition;
		this.invoker = invoker;
	}

	HandlerInfo info() {
		return this.info;
	}

	String id() {
		return this.info.id();
	}

	@Nullable Expression condition() {
		return this.condition;
	}

	HandlerInvoker invoker() {
		return this.invoker;
	}

	RetrySettings retry() {
		return this.info.retry();
	}

	/**
	 * Whether the handler takes events of a type.
	 * @param type the event type
	 * @return whether a pattern matches
	 */
	boolean accepts(String type) {
		Boolean accepted = this.acceptedTypes.get(type);
		if (accepted == null) {
			accepted = this.patterns.stream().anyMatch((pattern) -> pattern.matches(type));
			if (this.acceptedTypes.size() < MAX_CACHED_TYPES) {
				this.acceptedTypes.put(type, accepted);
			}
		}
		return accepted;
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

	@Override
	public String toString() {
		return "Handler[" + this.info.id() + "]";
	}

}
