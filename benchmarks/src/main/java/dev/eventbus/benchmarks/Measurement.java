package dev.eventbus.benchmarks;

import java.util.Map;

/**
 * What one round measured for one target.
 *
 * @param publishPerSecond events per second whose publish the broker acknowledged
 * @param consumePerSecond events per second received by the consumer, from the first
 * publish to the last arrival
 * @param p50Micros median end-to-end latency at the fixed rate, in microseconds
 * @param p99Micros 99th percentile end-to-end latency at the fixed rate, in microseconds
 * @param requestsPerEvent broker requests per event of the throughput phase, or -1 when
 * not counted
 * @param cpuMicrosPerEvent CPU microseconds per event of the throughput phase by thread
 * category (see {@link ThreadCpu}), empty when not measured
 * @param bytesPerEvent bytes allocated per event of the throughput phase by all threads
 * of this JVM
 */
record Measurement(double publishPerSecond, double consumePerSecond, double p50Micros, double p99Micros,
		double requestsPerEvent, Map<String, Double> cpuMicrosPerEvent, double bytesPerEvent) {

	/**
	 * CPU microseconds per event of the throughput phase: this JVM and the other
	 * processes measured, if any (see {@link ThreadCpu#ALL}).
	 * @return the CPU per event, or NaN when not measured
	 */
	double cpuMicros() {
		return this.cpuMicrosPerEvent.getOrDefault(ThreadCpu.ALL,
				this.cpuMicrosPerEvent.getOrDefault(ThreadCpu.TOTAL, Double.NaN));
	}

}
