package dev.eventbus.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Maps the bus's event type patterns to topic exchange binding keys. A bus pattern's
 * {@code *} matches one or more characters, dots included; a RabbitMQ binding key's
 * {@code *} matches one word and {@code #} zero or more. The mapping never selects less
 * than the pattern does (the runtime filters again, so selecting more is harmless):
 * <ul>
 * <li>a literal type binds as itself: {@code order.created};</li>
 * <li>a word that is exactly {@code *} becomes {@code #}: {@code photo.*} binds
 * {@code photo.#}, {@code *.processing.*} binds {@code #.processing.#};</li>
 * <li>a pattern with {@code *} inside a word ({@code photo*}, {@code order.*ed}), or
 * longer than a binding key may be (255 bytes), binds {@code #}, every type;</li>
 * <li>no patterns at all bind {@code #}.</li>
 * </ul>
 * Every group queue is also bound with the empty key, on which messages whose type cannot
 * be read are published, so that each group receives them and dead-letters them.
 */
final class BindingKeys {

	/** The binding key of every routing key. */
	static final String ALL = "#";

	/** The routing key of messages whose type cannot be read. */
	static final String UNTYPED = "";

	private static final int MAX_LENGTH = 255;

	private BindingKeys() {
	}

	/**
	 * The binding keys of a group's type patterns, the empty key included.
	 * @param patterns the patterns, empty for every type
	 * @return the keys, in the patterns' order, without duplicates
	 */
	static Set<String> of(Collection<String> patterns) {
		Set<String> keys = new LinkedHashSet<>();
		if (patterns.isEmpty()) {
			keys.add(ALL);
		}
		for (String pattern : patterns) {
			keys.add(of(pattern));
		}
		if (!keys.contains(ALL)) {
			keys.add(UNTYPED);
		}
		return keys;
	}

	/**
	 * The binding key of one pattern.
	 * @param pattern the pattern
	 * @return the key
	 */
	static String of(String pattern) {
		String trimmed = pattern.trim();
		if (trimmed.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
			return ALL;
		}
		String[] words = trimmed.split("\\.", -1);
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < words.length; i++) {
			String word = words[i];
			if (word.equals("*")) {
				word = ALL;
			}
			else if (word.indexOf('*') >= 0) {
				return ALL;
			}
			key.append((i > 0) ? "." : "").append(word);
		}
		String mapped = key.toString();
		return (mapped.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) ? ALL : mapped;
	}

}
