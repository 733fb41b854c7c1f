/**
 * Kafka adapter: publishes through spring-kafka's {@code KafkaTemplate} and consumes with
 * one listener container per subscription, committing offsets only after deliveries are
 * acknowledged.
 */
@NullMarked
package dev.eventbus.kafka;

import org.jspecify.annotations.NullMarked;
