/**
 * Failure analyzers that turn start-up errors of the event bus into a description and an
 * action.
 */
@NullMarked
package dev.eventbus.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
