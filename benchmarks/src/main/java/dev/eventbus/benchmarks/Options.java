package dev.eventbus.benchmarks;

import java.time.Duration;

/**
 * Sizes of an adapter benchmark run, from system properties with per-adapter defaults:
 * {@code -Dbench.rounds}, {@code -Dbench.warmups}, {@code -Dbench.events} (throughput
 * phase), {@code -Dbench.window} (outstanding publishes at most), {@code -Dbench.rate}
 * and {@code -Dbench.latencyEvents} (latency phase), {@code -Dbench.concurrency}
 * (consumer threads); {@code -Dbench.only=bus} (or the baseline's name) runs one target
 * alone, for profiling.
 *
 * @param rounds measured rounds per target
 * @param warmups unmeasured warm-up rounds per target, before the measured ones
 * @param events events of a throughput phase
 * @param window most publishes awaiting the broker's acknowledgement at a time
 * @param rate events per second of the latency phase
 * @param latencyEvents events of a latency phase
 * @param concurrency consumer concurrency of both targets
 */
record Options(int rounds, int warmups, int events, int window, int rate, int latencyEvents, int concurrency) {

	static Options of(int events, int window, int rate, int warmups) {
		return new Options(Integer.getInteger("bench.rounds", 5), Integer.getInteger("bench.warmups", warmups),
				Integer.getInteger("bench.events", events), Integer.getInteger("bench.window", window),
				Integer.getInteger("bench.rate", rate), Integer.getInteger("bench.latencyEvents", rate * 3),
				Integer.getInteger("bench.concurrency", 4));
	}

	Duration timeout() {
		return Duration.ofSeconds(120);
	}

	@Override
	public String toString() {
		return "rounds=" + this.rounds + " (after " + this.warmups + " warm-up rounds), throughput phase: "
				+ this.events + " events, at most " + this.window + " publishes outstanding; latency phase: "
				+ this.latencyEvents + " events at " + this.rate + "/s; consumer concurrency " + this.concurrency
				+ "; payload ~" + Payloads.SIZE + " bytes";
	}

}
