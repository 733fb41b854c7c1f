/**
 * Health of the event bus: the {@code eventbus} contributor and its place in the
 * readiness group.
 */
@NullMarked
package dev.eventbus.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
