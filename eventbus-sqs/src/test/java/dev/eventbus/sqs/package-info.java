/**
 * Tests of the SQS adapter against ElasticMQ in the test JVM.
 */
@NullMarked
package dev.eventbus.sqs;

import org.jspecify.annotations.NullMarked;
