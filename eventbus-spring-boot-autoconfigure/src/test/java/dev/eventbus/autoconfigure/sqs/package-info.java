/**
 * Tests of the SQS adapter auto-configuration.
 */
@NullMarked
package dev.eventbus.autoconfigure.sqs;

import org.jspecify.annotations.NullMarked;
