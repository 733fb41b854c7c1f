/**
 * Tracing of batch handlers.
 */
@NullMarked
package dev.eventbus.autoconfigure.tracing;

import org.jspecify.annotations.NullMarked;
