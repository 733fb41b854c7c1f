/**
 * Auto-configuration of the Kafka adapter.
 */
@NullMarked
package dev.eventbus.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
