/**
 * Order service that shows every feature of the event bus; run it with
 * {@link dev.eventbus.sample.OrderServiceApplication}.
 */
@NullMarked
package dev.eventbus.sample;

import org.jspecify.annotations.NullMarked;
