/**
 * CloudEvents 1.0 JSON codec and the type registry that maps event types to payload
 * classes.
 */
@NullMarked
package dev.eventbus.codec;

import org.jspecify.annotations.NullMarked;
