package dev.eventbus.benchmarks;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints what a {@link Comparison} measured: a row per round and per median, the ratios
 * of one target to another (of the medians, and paired: the median of the per-round
 * ratios), and the CPU per event by thread category.
 */
final class ComparisonTable {

	private final int nameWidth;

	ComparisonTable(int nameWidth) {
		this.nameWidth = nameWidth;
	}

	void header() {
		System.out.printf("%n" + column() + " %-6s %14s %14s %10s %10s %10s %10s %10s%n", "target", "round",
				"publish ev/s", "consume ev/s", "p50 us", "p99 us", "req/event", "CPU us/ev", "B/event");
	}

	void row(String name, String round, Measurement measurement) {
		System.out.printf(column() + " %-6s %14.0f %14.0f %10.0f %10.0f %10s %10.1f %10.0f%n", name, round,
				measurement.publishPerSecond(), measurement.consumePerSecond(), measurement.p50Micros(),
				measurement.p99Micros(),
				(measurement.requestsPerEvent() < 0) ? "-" : String.format("%.3f", measurement.requestsPerEvent()),
				measurement.cpuMicros(), measurement.bytesPerEvent());
	}

	void value(String name, String round, double value) {
		System.out.printf(column() + " %-6s %14.0f%n", name, round, value);
	}

	/**
	 * Print the ratios of one target's rounds to another's, of the medians and paired.
	 * @param label the row's name
	 * @param rounds the rounds of the first target
	 * @param against the rounds of the second, in the same order
	 */
	void ratios(String label, List<Measurement> rounds, List<Measurement> against) {
		Measurement median = median(rounds);
		Measurement againstMedian = median(against);
		System.out.printf(column() + " %-6s %13.2fx %13.2fx %9.2fx %9.2fx %10s %9.2fx %9.2fx%n", label, "ratio",
				median.publishPerSecond() / againstMedian.publishPerSecond(),
				median.consumePerSecond() / againstMedian.consumePerSecond(),
				median.p50Micros() / againstMedian.p50Micros(), median.p99Micros() / againstMedian.p99Micros(), "",
				median.cpuMicros() / againstMedian.cpuMicros(), median.bytesPerEvent() / againstMedian.bytesPerEvent());
		System.out.printf(column() + " %-6s %13.2fx %13.2fx %9.2fx %9.2fx %10s %9.2fx %9.2fx%n", label, "paired",
				Comparison.pairedRatio(rounds, against, Measurement::publishPerSecond),
				Comparison.pairedRatio(rounds, against, Measurement::consumePerSecond),
				Comparison.pairedRatio(rounds, against, Measurement::p50Micros),
				Comparison.pairedRatio(rounds, against, Measurement::p99Micros), "",
				Comparison.pairedRatio(rounds, against, Measurement::cpuMicros),
				Comparison.pairedRatio(rounds, against, Measurement::bytesPerEvent));
	}

	/**
	 * Print the CPU per event of each target's median by thread category.
	 * @param medians the medians, by target
	 * @param processes the categories that are other processes
	 */
	void cpu(Map<String, Measurement> medians, List<String> processes) {
		Set<String> categories = new LinkedHashSet<>();
		medians.values().forEach((measurement) -> categories.addAll(measurement.cpuMicrosPerEvent().keySet()));
		System.out.printf("%nCPU per event of the throughput phase, us (medians; %s)%n",
				processes.isEmpty() ? "whole JVM, broker included" : "whole JVM, 'total' its sum; then "
						+ String.join(", ", processes) + ": another process; 'all' the sum of both");
		System.out.printf(column(), "target");
		categories.forEach((category) -> System.out.printf(" %11s", category));
		System.out.println();
		medians.forEach((name, measurement) -> {
			System.out.printf(column(), name);
			categories.forEach((category) -> System.out.printf(" %11.1f",
					measurement.cpuMicrosPerEvent().getOrDefault(category, 0.0)));
			System.out.println();
		});
	}

	private String column() {
		return "%-" + this.nameWidth + "s";
	}

	/**
	 * The median of each metric of some rounds.
	 * @param rounds the rounds
	 * @return the medians
	 */
	static Measurement median(List<Measurement> rounds) {
		Map<String, Double> cpu = new LinkedHashMap<>();
		rounds.forEach((round) -> round.cpuMicrosPerEvent()
			.keySet()
			.forEach((category) -> cpu.put(category,
					Comparison.median(rounds, (each) -> each.cpuMicrosPerEvent().getOrDefault(category, 0.0)))));
		return new Measurement(Comparison.median(rounds, Measurement::publishPerSecond),
				Comparison.median(rounds, Measurement::consumePerSecond),
				Comparison.median(rounds, Measurement::p50Micros), Comparison.median(rounds, Measurement::p99Micros),
				Comparison.median(rounds, Measurement::requestsPerEvent), cpu,
				Comparison.median(rounds, Measurement::bytesPerEvent));
	}

}
