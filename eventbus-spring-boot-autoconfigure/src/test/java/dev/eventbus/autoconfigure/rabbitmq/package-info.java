/**
 * Tests of the RabbitMQ adapter auto-configuration.
 */
@NullMarked
package dev.eventbus.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
