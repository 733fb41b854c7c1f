package dev.eventbus.jdbc;

import java.sql.DatabaseMetaData;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases the outbox and inbox support, with what differs between them: the schema
 * script and how to delete a bounded number of rows.
 */
public enum JdbcPlatform {

	/** PostgreSQL, the production default. */
	POSTGRESQL("postgresql"),

	/** MariaDB, and MySQL 8 with the same script. */
	MARIADB("mariadb"),

	/** H2, in PostgreSQL mode or not: the embedded default. */
	H2("h2");

	private final String scriptName;

	JdbcPlatform(String scriptName) {
		this.scriptName = scriptName;
	}

	/**
	 * The platform of a data source, from its database product name.
	 * @param dataSource the data source
	 * @return the platform
	 * @throws IllegalStateException if the database is none of the supported ones
	 */
	public static JdbcPlatform of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Could not tell which database the outbox and inbox are on", ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgres")) {
			return POSTGRESQL;
		}
		if (name.contains("mariadb") || name.contains("mysql")) {
			return MARIADB;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException("The event bus outbox and inbox support PostgreSQL, MariaDB, MySQL and H2, not "
				+ product + ": create the tables yourself from one of the scripts in dev/eventbus/jdbc and set "
				+ "eventbus.jdbc.platform");
	}

	/**
	 * The classpath location of this platform's schema script.
	 * @return the location
	 */
	public String schemaLocation() {
		return "dev/eventbus/jdbc/schema-" + this.scriptName + ".sql";
	}

	/**
	 * An insert that does nothing when a row with the same unique key exists, without an
	 * error that would abort the caller's transaction.
	 * @param table the table
	 * @param key the unique key column
	 * @param columns the columns, the key among them
	 * @return the statement, with a {@code ?} per column
	 */
	String insertIfAbsent(String table, String key, List<String> columns) {
		String names = String.join(", ", columns);
		String values = String.join(", ", columns.stream().map((column) -> "?").toList());
		return switch (this) {
			case POSTGRESQL -> "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") ON CONFLICT (" + key
					+ ") DO NOTHING";
			case MARIADB -> "INSERT IGNORE INTO " + table + " (" + names + ") VALUES (" + values + ")";
			case H2 -> "MERGE INTO " + table + " (" + names + ") KEY (" + key + ") VALUES (" + values + ")";
		};
	}

	/**
	 * A statement deleting at most {@code limit} rows of a table that match a condition,
	 * oldest key first.
	 * @param table the table
	 * @param key the key column
	 * @param condition the condition, with {@code ?} parameters
	 * @param limit most rows deleted
	 * @return the statement
	 */
	String boundedDelete(String table, String key, String condition, int limit) {
		return switch (this) {
			case POSTGRESQL, H2 -> "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table
					+ " WHERE " + condition + " ORDER BY " + key + " LIMIT " + limit + ")";
			case MARIADB -> "DELETE FROM " + table + " WHERE " + condition + " ORDER BY " + key + " LIMIT " + limit;
		};
	}

}
