-- Event bus outbox, inbox and event log, MariaDB and MySQL 8. ${prefix} is eventbus.jdbc.table-prefix (eventbus_ by default).
-- Every TIMESTAMP column has an explicit default, so that none updates itself on UPDATE.

CREATE TABLE IF NOT EXISTS ${prefix}outbox (
	id BIGINT AUTO_INCREMENT PRIMARY KEY,
	event_id VARCHAR(255) NOT NULL,
	destination VARCHAR(255) NOT NULL,
	subject VARCHAR(255) NULL,
	headers LONGTEXT NOT NULL,
	body LONGBLOB NOT NULL,
	status VARCHAR(16) NOT NULL,
	attempts INT NOT NULL,
	created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	available_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	first_failure_at TIMESTAMP(6) NULL DEFAULT NULL,
	last_failure_at TIMESTAMP(6) NULL DEFAULT NULL,
	last_exception VARCHAR(255) NULL,
	last_error VARCHAR(2000) NULL,
	sent_at TIMESTAMP(6) NULL DEFAULT NULL,
	INDEX ${prefix}outbox_status_idx (status, id),
	INDEX ${prefix}outbox_subject_idx (subject, status, id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}inbox (
	claim_key VARCHAR(64) NOT NULL PRIMARY KEY,
	consumer_group VARCHAR(255) NOT NULL,
	handler_id VARCHAR(255) NOT NULL,
	event_source VARCHAR(1000) NOT NULL,
	event_id VARCHAR(255) NOT NULL,
	handled_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	INDEX ${prefix}inbox_handled_idx (handled_at)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}event_log (
	position BIGINT AUTO_INCREMENT PRIMARY KEY,
	event_key VARCHAR(64) NOT NULL,
	event_id VARCHAR(255) NOT NULL,
	source VARCHAR(1000) NOT NULL,
	type VARCHAR(255) NOT NULL,
	subject VARCHAR(255) NULL,
	correlation_id VARCHAR(255) NULL,
	causation_id VARCHAR(255) NULL,
	destination VARCHAR(255) NOT NULL,
	event_time TIMESTAMP(6) NULL DEFAULT NULL,
	recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	headers LONGTEXT NOT NULL,
	body LONGBLOB NOT NULL,
	UNIQUE INDEX ${prefix}event_log_key_idx (event_key),
	INDEX ${prefix}event_log_subject_idx (subject, position),
	INDEX ${prefix}event_log_correlation_idx (correlation_id, position),
	INDEX ${prefix}event_log_type_idx (type, position),
	INDEX ${prefix}event_log_time_idx (event_time),
	INDEX ${prefix}event_log_recorded_idx (recorded_at)
) ENGINE=InnoDB;
