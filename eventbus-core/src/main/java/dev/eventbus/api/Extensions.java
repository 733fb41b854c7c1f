package dev.eventbus.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The extension attributes of an event with their CloudEvents types: each value is a
 * {@code String}, an {@code Integer} or a {@code Boolean}, the types a JSON event can
 * tell apart. As a {@code Map<String, String>} (what {@link Event#headers()} returns)
 * every value reads as its CloudEvents canonical string ({@code 5}, {@code true}), which
 * is also what a binary-mode transport carries.
 * <p>
 * Events read from structured JSON, and events published with
 * {@link EventMessage.Builder#extension(String, Object)}, carry their headers as
 * {@code Extensions}, so an integer written by another producer is written back as an
 * integer; {@link Event#extension(String)} returns the typed value.
 * <p>
 * Immutable and thread safe.
 */
public final class Extensions extends AbstractMap<String, String> {

	private static final Extensions EMPTY = new Extensions(Map.of());

	private final Map<String, Object> values;

	private Extensions(Map<String, Object> values) {
		this.values = values;
	}

	/**
	 * Extension attributes with typed values.
	 * @param values the values by name: {@code String}, {@code Integer} or
	 * {@code Boolean}
	 * @return the extensions
	 * @throws IllegalArgumentException if a value has another type
	 */
	public static Extensions of(Map<String, ?> values) {
		if (values.isEmpty()) {
			return EMPTY;
		}
		Map<String, Object> copy = new LinkedHashMap<>(values.size() * 2);
		values.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "name"), requireType(name, value)));
		return new Extensions(Collections.unmodifiableMap(copy));
	}

	/**
	 * Headers changed from others, keeping the typed value of every header whose text did
	 * not change.
	 * @param original headers, possibly {@code Extensions}
	 * @param changed the changed headers as text
	 * @return {@code changed} with the types of {@code original}
	 */
	public static Map<String, String> keepingTypes(Map<String, String> original, Map<String, String> changed) {
		if (!(original instanceof Extensions typed)) {
			return changed;
		}
		Map<String, Object> values = new LinkedHashMap<>(changed.size() * 2);
		changed.forEach((name, text) -> {
			Object value = typed.value(name);
			values.put(name, (value != null && text.equals(value.toString())) ? value : text);
		});
		return of(values);
	}

	/**
	 * Check that a value has a type an extension attribute can have.
	 * @param name the attribute's name, for the message
	 * @param value the value
	 * @return the value
	 * @throws IllegalArgumentException if it is not a {@code String}, {@code Integer} or
	 * {@code Boolean}
	 */
	static Object requireType(String name, @Nullable Object value) {
		if (value instanceof String || value instanceof Integer || value instanceof Boolean) {
			return value;
		}
		throw new IllegalArgumentException("Extension '" + name + "' must be a String, an Integer or a Boolean "
				+ "(the CloudEvents types JSON tells apart), not "
				+ ((value != null) ? value.getClass().getName() : "null")
				+ "; write other values (URIs, times, bytes) as their text");
	}

	/**
	 * The typed value of an extension.
	 * @param name the name
	 * @return a {@code String}, {@code Integer} or {@code Boolean}, or {@code null}
	 */
	public @Nullable Object value(String name) {
		return this.values.get(name);
	}

	/**
	 * The typed values by name.
	 * @return an unmodifiable map
	 */
	public Map<String, Object> typedValues() {
		return this.values;
	}

	@Override
	public @Nullable String get(Object name) {
		Object value = this.values.get(name);
		return (value != null) ? value.toString() : null;
	}

	@Override
	public boolean containsKey(Object name) {
		return this.values.containsKey(name);
	}

	@Override
	public int size() {
		return this.values.size();
	}

	@Override
	public Set<Entry<String, String>> entrySet() {
		return new AbstractSet<>() {

			@Override
			public Iterator<Entry<String, String>> iterator() {
				Iterator<Entry<String, Object>> entries = Extensions.this.values.entrySet().iterator();
				return new Iterator<>() {

					@Override
					public boolean hasNext() {
						return entries.hasNext();
					}

					@Override
					public Entry<String, String> next() {
						Entry<String, Object> entry = entries.next();
						return Map.entry(entry.getKey(), entry.getValue().toString());
					}

				};
			}

			@Override
			public int size() {
				return Extensions.this.values.size();
			}

		};
	}

}
