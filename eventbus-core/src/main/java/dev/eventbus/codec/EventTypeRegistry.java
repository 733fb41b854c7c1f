package dev.eventbus.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.EventType;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Maps event types to payload classes and back. Built at start-up from handler signatures
 * and {@link EventType @EventType} classes; incoming data is only ever converted into a
 * class registered here for its type, never into a class named on the wire. Thread safe.
 */
public final class EventTypeRegistry {

	private final Map<String, CopyOnWriteArrayList<Class<?>>> classesByType = new ConcurrentHashMap<>();

	private final ClassValue<String> typeNames = new ClassValue<>() {
		@Override
		protected String computeValue(Class<?> type) {
			EventType annotation = AnnotatedElementUtils.findMergedAnnotation(type, EventType.class);
			return (annotation != null && !annotation.value().isBlank()) ? annotation.value() : type.getSimpleName();
		}
	};

	/**
	 * Return the event type of a payload class: its {@link EventType} value or its simple
	 * name.
	 * @param payloadClass the class
	 * @return the type
	 */
	public String typeOf(Class<?> payloadClass) {
		return this.typeNames.get(payloadClass);
	}

	/**
	 * Register a payload class under the type it names.
	 * @param payloadClass the class
	 * @return the type it was registered under
	 */
	public String register(Class<?> payloadClass) {
		String type = typeOf(payloadClass);
		register(type, payloadClass);
		return type;
	}

	/**
	 * Register a payload class under a type.
	 * @param type the type
	 * @param payloadClass the class
	 */
	public void register(String type, Class<?> payloadClass) {
		CopyOnWriteArrayList<Class<?>> classes = this.classesByType.computeIfAbsent(type,
				(key) -> new CopyOnWriteArrayList<>());
		classes.addIfAbsent(payloadClass);
	}

	/**
	 * Find the class to convert data of a type into, for a parameter of the given type.
	 * @param type the event type
	 * @param parameterType the handler's payload parameter type
	 * @return the first registered class assignable to the parameter type, or
	 * {@code null}
	 */
	public @Nullable Class<?> resolve(String type, Class<?> parameterType) {
		List<Class<?>> classes = this.classesByType.get(type);
		if (classes != null) {
			for (Class<?> candidate : classes) {
				if (parameterType.isAssignableFrom(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * Every registered type with its classes.
	 * @return type to class names, sorted by type
	 */
	public Map<String, List<String>> describe() {
		Map<String, List<String>> result = new java.util.TreeMap<>();
		this.classesByType.forEach((type, classes) -> {
			List<String> names = new ArrayList<>();
			classes.forEach((c) -> names.add(c.getName()));
			result.put(type, names);
		});
		return result;
	}

	/**
	 * Registered types.
	 * @return the types, sorted
	 */
	public Set<String> types() {
		return new TreeSet<>(this.classesByType.keySet());
	}

}
