/**
 * RabbitMQ adapter over Spring AMQP (AMQP 0-9-1): a durable topic exchange per
 * destination, a quorum queue per consumer group bound with its handlers' type patterns,
 * publisher confirms and returns, listener containers with manual acks, in-process
 * retries that keep the message unacknowledged, dead letters and their store.
 */
@NullMarked
package dev.eventbus.rabbitmq;

import org.jspecify.annotations.NullMarked;
