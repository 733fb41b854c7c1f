/**
 * Auto-configuration of the transactional outbox and idempotent inbox of
 * {@code eventbus-jdbc}.
 */
@NullMarked
package dev.eventbus.autoconfigure.jdbc;

import org.jspecify.annotations.NullMarked;
