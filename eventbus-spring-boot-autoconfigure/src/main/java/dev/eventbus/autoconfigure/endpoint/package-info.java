/**
 * The {@code eventbus} actuator endpoint: handlers, subscriptions, counts and dead
 * letters.
 */
@NullMarked
package dev.eventbus.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
