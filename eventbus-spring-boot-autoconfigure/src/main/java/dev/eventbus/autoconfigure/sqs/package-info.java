/**
 * Auto-configuration of the SQS adapter.
 */
@NullMarked
package dev.eventbus.autoconfigure.sqs;

import org.jspecify.annotations.NullMarked;
