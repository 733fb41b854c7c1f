/**
 * Payment: charges reserved orders through a simulated gateway that fails transiently and
 * declines some customers.
 */
@NullMarked
package dev.eventbus.sample.payment;

import org.jspecify.annotations.NullMarked;
