package dev.eventbus.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Creates the outbox and inbox tables, and their indexes, when they do not exist: the
 * platform's script with the table prefix filled in. Applying it again changes nothing.
 */
public final class JdbcSchema {

	private JdbcSchema() {
	}

	/**
	 * Create the tables that do not exist.
	 * @param dataSource where
	 * @param platform the database
	 * @param tables the table names
	 */
	public static void create(DataSource dataSource, JdbcPlatform platform, JdbcTables tables) {
		new ResourceDatabasePopulator(new ByteArrayResource(script(platform, tables), platform.schemaLocation()))
			.execute(dataSource);
	}

	/**
	 * The platform's script, table prefix filled in.
	 * @param platform the database
	 * @param tables the table names
	 * @return the script
	 */
	static byte[] script(JdbcPlatform platform, JdbcTables tables) {
		try (InputStream in = new ClassPathResource(platform.schemaLocation(), JdbcSchema.class.getClassLoader())
			.getInputStream()) {
			String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return script.replace("${prefix}", tables.prefix()).getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + platform.schemaLocation(), ex);
		}
	}

}
