/**
 * Tests of the Redis adapter against redis-server processes the tests start.
 */
@NullMarked
package dev.eventbus.redis;

import org.jspecify.annotations.NullMarked;
