/**
 * Tracing test support: Micrometer Tracing with an in-memory span exporter.
 */
@NullMarked
package dev.eventbus.test.tracing;

import org.jspecify.annotations.NullMarked;
