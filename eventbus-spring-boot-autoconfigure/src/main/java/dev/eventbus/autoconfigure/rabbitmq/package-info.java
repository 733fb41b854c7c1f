/**
 * Auto-configuration of the RabbitMQ adapter.
 */
@NullMarked
package dev.eventbus.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
