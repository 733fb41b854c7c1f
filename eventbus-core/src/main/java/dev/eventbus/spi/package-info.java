/**
 * Adapter SPI: the small contract a transport implements. Retry, dead letters, metrics
 * and tracing live in the runtime, around it.
 */
@NullMarked
package dev.eventbus.spi;

import org.jspecify.annotations.NullMarked;
