package dev.eventbus.jdbc;

import javax.sql.DataSource;

/**
 * The outbox and inbox on MariaDB.
 */
class MariaDbOutboxInboxTests extends AbstractOutboxInboxTests {

	@Override
	DataSource database() {
		return TestDatabases.mariadb();
	}

}
