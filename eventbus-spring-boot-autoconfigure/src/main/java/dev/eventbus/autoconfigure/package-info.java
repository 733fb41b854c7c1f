/**
 * Auto-configuration of the event bus: properties, the bus and its adapter, and the
 * validation that fails start-up on invalid settings.
 */
@NullMarked
package dev.eventbus.autoconfigure;

import org.jspecify.annotations.NullMarked;
