package dev.eventbus.jdbc;

import java.util.regex.Pattern;

/**
 * The names of the outbox, inbox and event log tables: a prefix, then {@code outbox},
 * {@code inbox} and {@code event_log}.
 *
 * @param prefix the prefix, such as {@code eventbus_}: letters, digits and underscores
 */
public record JdbcTables(String prefix) {

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** Tables {@code eventbus_outbox} and {@code eventbus_inbox}. */
	public static final JdbcTables DEFAULT = new JdbcTables("eventbus_");

	public JdbcTables {
		if (!IDENTIFIER.matcher(prefix + "x").matches()) {
			throw new IllegalArgumentException(
					"Table prefix '" + prefix + "' must be letters, digits and underscores, starting with a letter");
		}
	}

	public String outbox() {
		return this.prefix + "outbox";
	}

	public String inbox() {
		return this.prefix + "inbox";
	}

	public String eventLog() {
		return this.prefix + "event_log";
	}

}
