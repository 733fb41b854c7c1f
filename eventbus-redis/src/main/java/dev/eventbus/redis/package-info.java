/**
 * Redis adapter: durable Redis Streams with consumer groups (at-least-once), or pub/sub
 * broadcast (at-most-once), over spring-data-redis and Lettuce.
 */
@NullMarked
package dev.eventbus.redis;

import org.jspecify.annotations.NullMarked;
