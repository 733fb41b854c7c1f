package dev.eventbus.codec;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An event type pattern. {@code *} matches one or more characters, dots included:
 * {@code photo.*} matches {@code photo.uploaded} and {@code photo.processing.completed}
 * but not {@code photo}; {@code *.processing.*} matches {@code photo.processing.started};
 * {@code *} alone matches every type. Any other character matches itself. Immutable and
 * thread safe.
 */
public final class TypePattern {

	private final String pattern;

	private final @org.jspecify.annotations.Nullable Pattern regex;

	private TypePattern(String pattern) {
		this.pattern = pattern;
		this.regex = (pattern.indexOf('*') >= 0) ? compile(pattern) : null;
	}

	/**
	 * Parse a pattern.
	 * @param pattern the pattern, not empty
	 * @return the pattern
	 * @throws IllegalArgumentException if the pattern is empty
	 */
	public static TypePattern of(String pattern) {
		Objects.requireNonNull(pattern, "pattern");
		if (pattern.isBlank()) {
			throw new IllegalArgumentException("type pattern must not be empty");
		}
		return new TypePattern(pattern.trim());
	}

	private static Pattern compile(String pattern) {
		StringBuilder regex = new StringBuilder();
		int start = 0;
		for (int i = pattern.indexOf('*'); i >= 0; i = pattern.indexOf('*', start)) {
			if (i > start) {
				regex.append(Pattern.quote(pattern.substring(start, i)));
			}
			regex.append(".+");
			start = i + 1;
		}
		if (start < pattern.length()) {
			regex.append(Pattern.quote(pattern.substring(start)));
		}
		return Pattern.compile(regex.toString());
	}

	/**
	 * Whether a type matches.
	 * @param type the event type
	 * @return whether it matches
	 */
	public boolean matches(String type) {
		Pattern compiled = this.regex;
		return (compiled != null) ? compiled.matcher(type).matches() : this.pattern.equals(type);
	}

	/**
	 * Whether the pattern has no wildcard and matches exactly one type.
	 * @return whether it is a literal type
	 */
	public boolean isLiteral() {
		return this.regex == null;
	}

	/**
	 * Whether some type could match both this pattern and another: a literal is checked
	 * against the other pattern, two wildcard patterns are assumed to overlap.
	 * @param other the other pattern
	 * @return whether they may overlap
	 */
	public boolean mayOverlap(TypePattern other) {
		if (isLiteral()) {
			return other.matches(this.pattern);
		}
		return !other.isLiteral() || matches(other.pattern);
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof TypePattern other) && this.pattern.equals(other.pattern);
	}

	@Override
	public int hashCode() {
		return this.pattern.hashCode();
	}

	@Override
	public String toString() {
		return this.pattern;
	}

}
