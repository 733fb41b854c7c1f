/**
 * Ahead-of-time processing support: the hints that let a native image run the handlers.
 */
@NullMarked
package dev.eventbus.aot;

import org.jspecify.annotations.NullMarked;
