/**
 * The adapter conformance suite: one abstract JUnit 5 class every adapter module extends
 * and runs against a real broker.
 */
@NullMarked
package dev.eventbus.test.conformance;

import org.jspecify.annotations.NullMarked;
