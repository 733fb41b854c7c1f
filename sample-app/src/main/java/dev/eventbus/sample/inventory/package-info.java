/**
 * Stock reservation: reacts to placed orders and announces reserved stock.
 */
@NullMarked
package dev.eventbus.sample.inventory;

import org.jspecify.annotations.NullMarked;
