/**
 * Transactional outbox and idempotent inbox on Spring JDBC:
 * {@link dev.eventbus.jdbc.OutboxEventBusAdapter} records publishes made in a
 * transaction, {@link dev.eventbus.jdbc.OutboxRelay} sends them after commit, and
 * {@link dev.eventbus.jdbc.JdbcInbox} applies each event once per handler.
 */
@NullMarked
package dev.eventbus.jdbc;

import org.jspecify.annotations.NullMarked;
