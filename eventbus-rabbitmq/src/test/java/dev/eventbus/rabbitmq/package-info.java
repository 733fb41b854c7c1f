/**
 * Tests of the RabbitMQ adapter against a real RabbitMQ.
 */
@NullMarked
package dev.eventbus.rabbitmq;

import org.jspecify.annotations.NullMarked;
