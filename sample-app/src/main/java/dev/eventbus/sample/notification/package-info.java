/**
 * VIP notifications: a conditional handler that takes only large orders.
 */
@NullMarked
package dev.eventbus.sample.notification;

import org.jspecify.annotations.NullMarked;
