/**
 * Orders: the HTTP API that places and reads them, and the handlers that move an order
 * through its statuses.
 */
@NullMarked
package dev.eventbus.sample.order;

import org.jspecify.annotations.NullMarked;
