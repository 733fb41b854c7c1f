/**
 * JMH benchmarks of the bus, each run beside its baseline in the same JVM and run.
 */
@NullMarked
package dev.eventbus.benchmarks;

import org.jspecify.annotations.NullMarked;
