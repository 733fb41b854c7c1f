/**
 * Micrometer meters of the event bus: counts per handler, active subscriptions and
 * consumer lag.
 */
@NullMarked
package dev.eventbus.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
