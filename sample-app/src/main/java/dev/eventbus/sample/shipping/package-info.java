/**
 * Shipping: ships paid orders.
 */
@NullMarked
package dev.eventbus.sample.shipping;

import org.jspecify.annotations.NullMarked;
