-- The order service's own table. The outbox and inbox tables come from eventbus-jdbc
-- (eventbus.jdbc.initialize-schema: embedded creates them on H2).
CREATE TABLE IF NOT EXISTS orders (
	id VARCHAR(64) PRIMARY KEY,
	customer_id VARCHAR(255) NOT NULL,
	amount DECIMAL(19, 2) NOT NULL,
	items VARCHAR(4000) NOT NULL,
	placed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	correlation_id VARCHAR(255) NOT NULL,
	status VARCHAR(32) NOT NULL
);
