package dev.eventbus.jdbc;

import javax.sql.DataSource;

/**
 * The outbox and inbox on H2 in PostgreSQL mode, the embedded default.
 */
class H2OutboxInboxTests extends AbstractOutboxInboxTests {

	private static final DataSource DATABASE = TestDatabases.h2();

	@Override
	DataSource database() {
		return DATABASE;
	}

}
