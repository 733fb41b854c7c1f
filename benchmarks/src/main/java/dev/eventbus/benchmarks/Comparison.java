package dev.eventbus.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

/**
 * Runs the bus and its baseline alternately in the same JVM, one warm-up round each then
 * {@link Options#rounds()} measured rounds each, and prints every round, the medians and the
 * ratios of the bus to the baseline.
 */
final class Comparison {

	private final String title;

	private final Options options;

	private final Driver driver;

	private final List<String> configuration = new ArrayList<>();

	private @Nullable DoubleSupplier ceiling;

	private String ceilingName = "";

	Comparison(String title, Options options, Recorder recorder) {
		this.title = title;
		this.options = options;
		this.driver = new Driver(options, recorder);
	}

	Comparison configured(String line) {
		this.configuration.add(line);
		return this;
	}

	/**
	 * Also measure a publish ceiling once per round, such as {@code redis-benchmark}.
	 * @param name its name in the table
	 * @param measure measures it, in events per second
	 * @return this
	 */
	Comparison ceiling(String name, DoubleSupplier measure) {
		this.ceilingName = name;
		this.ceiling = measure;
		return this;
	}

	void run(Target bus, Target raw) throws InterruptedException {
		header();
		String only = System.getProperty("bench.only");
		if (only != null) {
			runOnly(only.equals(bus.name()) ? bus : raw);
			return;
		}
		System.out.println("warm-up ...");
		for (int i = 0; i < this.options.warmups(); i++) {
			this.driver.round(bus);
			this.driver.round(raw);
		}
		List<Measurement> busRounds = new ArrayList<>();
		List<Measurement> rawRounds = new ArrayList<>();
		List<Double> ceilings = new ArrayList<>();
		System.out.printf("%n%-16s %-6s %14s %14s %10s %10s %10s%n", "target", "round", "publish ev/s",
				"consume ev/s", "p50 us", "p99 us", "req/event");
		for (int round = 1; round <= this.options.rounds(); round++) {
			Target first = (round % 2 == 1) ? bus : raw;
			Target second = (first == bus) ? raw : bus;
			for (Target target : List.of(first, second)) {
				Measurement measurement = this.driver.round(target);
				((target == bus) ? busRounds : rawRounds).add(measurement);
				print(target.name(), String.valueOf(round), measurement);
			}
			DoubleSupplier measureCeiling = this.ceiling;
			if (measureCeiling != null) {
				double value = measureCeiling.getAsDouble();
				ceilings.add(value);
				System.out.printf("%-16s %-6s %14.0f%n", this.ceilingName, round, value);
			}
		}
		Measurement busMedian = median(busRounds);
		Measurement rawMedian = median(rawRounds);
		System.out.println();
		print(bus.name(), "median", busMedian);
		print(raw.name(), "median", rawMedian);
		if (!ceilings.isEmpty()) {
			System.out.printf("%-16s %-6s %14.0f%n", this.ceilingName, "median",
					median(ceilings.stream().mapToDouble(Double::doubleValue).toArray()));
		}
		System.out.printf("%-16s %-6s %13.2fx %13.2fx %9.2fx %9.2fx%n", "bus/raw", "ratio",
				busMedian.publishPerSecond() / rawMedian.publishPerSecond(),
				busMedian.consumePerSecond() / rawMedian.consumePerSecond(), busMedian.p50Micros() / rawMedian.p50Micros(),
				busMedian.p99Micros() / rawMedian.p99Micros());
		System.out.printf("%-16s %-6s %13.2fx %13.2fx %9.2fx %9.2fx%n", "bus/raw", "paired",
				pairedRatio(busRounds, rawRounds, Measurement::publishPerSecond),
				pairedRatio(busRounds, rawRounds, Measurement::consumePerSecond),
				pairedRatio(busRounds, rawRounds, Measurement::p50Micros),
				pairedRatio(busRounds, rawRounds, Measurement::p99Micros));
		System.out.println("(ratio: of the medians; paired: median of the per-round ratios, each bus round against "
				+ "the baseline round next to it)");
	}

	private static double pairedRatio(List<Measurement> bus, List<Measurement> raw,
			ToDoubleFunction<Measurement> metric) {
		double[] ratios = new double[bus.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = metric.applyAsDouble(bus.get(i)) / metric.applyAsDouble(raw.get(i));
		}
		return median(ratios);
	}

	/**
	 * One target only ({@code -Dbench.only=bus}), for profiling: no ratios.
	 */
	private void runOnly(Target target) throws InterruptedException {
		System.out.println("only " + target.name() + " (-Dbench.only), no comparison");
		this.driver.round(target);
		for (int round = 1; round <= this.options.rounds(); round++) {
			print(target.name(), String.valueOf(round), this.driver.round(target));
		}
	}

	private void header() {
		System.out.println("== " + this.title);
		System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
				+ Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, java " + System.getProperty("java.version")
				+ " (" + System.getProperty("java.vm.name") + "), load average " + loadAverage());
		System.out.println("run: " + this.options);
		this.configuration.forEach((line) -> System.out.println("config: " + line));
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static void print(String name, String round, Measurement measurement) {
		System.out.printf("%-16s %-6s %14.0f %14.0f %10.0f %10.0f %10s%n", name, round,
				measurement.publishPerSecond(), measurement.consumePerSecond(), measurement.p50Micros(),
				measurement.p99Micros(),
				(measurement.requestsPerEvent() < 0) ? "-" : String.format("%.3f", measurement.requestsPerEvent()));
	}

	private static Measurement median(List<Measurement> rounds) {
		return new Measurement(median(rounds, Measurement::publishPerSecond),
				median(rounds, Measurement::consumePerSecond), median(rounds, Measurement::p50Micros),
				median(rounds, Measurement::p99Micros), median(rounds, Measurement::requestsPerEvent));
	}

	private static double median(List<Measurement> rounds, ToDoubleFunction<Measurement> metric) {
		return median(rounds.stream().mapToDouble(metric).toArray());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
