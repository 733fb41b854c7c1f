/**
 * Amazon SQS adapter: one queue per destination and consumer group fed by fan-out,
 * standard or FIFO queues, batched sends, deletes and visibility changes,
 * visibility-based retry and dead letters, batches for batch handlers formed from
 * successive receives, and recovery of queues the broker lost.
 */
@NullMarked
package dev.eventbus.sqs;

import org.jspecify.annotations.NullMarked;
