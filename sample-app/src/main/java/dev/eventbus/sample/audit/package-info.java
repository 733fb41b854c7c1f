/**
 * Audit trail: records every order, inventory and payment event as a timeline per order.
 */
@NullMarked
package dev.eventbus.sample.audit;

import org.jspecify.annotations.NullMarked;
