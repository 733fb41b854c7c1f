/**
 * Events the order flow publishes: one record per event type, each named by
 * {@code @EventType}.
 */
@NullMarked
package dev.eventbus.sample.events;

import org.jspecify.annotations.NullMarked;
