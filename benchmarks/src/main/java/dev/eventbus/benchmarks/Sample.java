package dev.eventbus.benchmarks;

import dev.eventbus.api.EventType;

/**
 * The event of the adapter benchmarks: when it was published ({@link System#nanoTime()}
 * in the benchmark JVM, so end-to-end latency is measured on one clock) and padding that
 * makes its JSON about {@value Payloads#SIZE} bytes, the size of the raw baselines'
 * payloads.
 *
 * @param sentNanos when it was published
 * @param sequence its number within a phase
 * @param padding filler up to the payload size
 */
@EventType("bench.sample")
public record Sample(long sentNanos, int sequence, String padding) {

}
