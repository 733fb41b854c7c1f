/**
 * Amazon SQS adapter: one queue per destination and consumer group fed by fan-out, standard or
 * FIFO queues, batched sends and deletes, visibility-based retry and dead letters.
 */
@NullMarked
package dev.eventbus.sqs;

import org.jspecify.annotations.NullMarked;
