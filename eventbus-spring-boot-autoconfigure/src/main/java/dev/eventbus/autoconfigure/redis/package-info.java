/**
 * Auto-configuration of the Redis adapter.
 */
@NullMarked
package dev.eventbus.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
