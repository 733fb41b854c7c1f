/**
 * In-process adapter: bounded, asynchronous, ordered per subject; at-most-once across a
 * crash.
 */
@NullMarked
package dev.eventbus.memory;

import org.jspecify.annotations.NullMarked;
