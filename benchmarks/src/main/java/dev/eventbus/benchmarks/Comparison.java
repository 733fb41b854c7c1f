package dev.eventbus.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Runs the bus and its baselines alternately in the same JVM, {@link Options#warmups()}
 * warm-up rounds each then {@link Options#rounds()} measured rounds each, and prints
 * every round, the medians, the ratios of the bus to each baseline and of the other
 * baselines to the first.
 */
final class Comparison {

	private final String title;

	private final Options options;

	private final Driver driver;

	private final List<String> configuration = new ArrayList<>();

	private @Nullable ThreadCpu cpu;

	private final List<String> processes = new ArrayList<>();

	private @Nullable DoubleSupplier ceiling;

	private String ceilingName = "";

	private int nameWidth = 16;

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
	 * Also measure the CPU per event of each throughput phase, by thread category, and
	 * print its medians after the ratios.
	 * @param categories the category of a thread, by its name
	 * @return this
	 */
	Comparison cpuByThread(Function<String, String> categories) {
		ThreadCpu meter = new ThreadCpu(categories);
		this.cpu = meter;
		this.driver.measureCpu(meter);
		return this;
	}

	/**
	 * Also measure the CPU per event of a process outside this JVM, such as a broker, as
	 * a category of its own; after {@link #cpuByThread}.
	 * @param category its name in the table
	 * @param cpuNanos its CPU time so far, in nanoseconds
	 * @return this
	 */
	Comparison cpuOfProcess(String category, LongSupplier cpuNanos) {
		ThreadCpu meter = this.cpu;
		if (meter == null) {
			throw new IllegalStateException("cpuByThread first");
		}
		meter.process(category, cpuNanos);
		this.processes.add(category);
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
		run(bus, List.of(raw));
	}

	/**
	 * Compare the bus with one or more baselines. Measured rounds alternate the order so
	 * that the bus is next to every baseline in every round: with one baseline
	 * {@code bus, raw} then {@code raw, bus}; with two {@code b2, bus, b1} then
	 * {@code b1, bus, b2}.
	 * @param bus the bus
	 * @param baselines the baselines, the first the one the target refers to
	 * @throws InterruptedException if interrupted
	 */
	void run(Target bus, List<Target> baselines) throws InterruptedException {
		header();
		String only = System.getProperty("bench.only");
		if (only != null) {
			runOnly(only.equals(bus.name()) ? bus
					: baselines.stream()
						.filter((target) -> target.name().equals(only))
						.findFirst()
						.orElse(baselines.get(0)));
			return;
		}
		int firstWidth = baselines.get(0).name().length();
		ComparisonTable table = new ComparisonTable(Math.max(this.nameWidth,
				baselines.stream()
					.mapToInt((target) -> target.name().length() + Math.max(5, firstWidth + 1))
					.max()
					.orElse(0)));
		System.out.println("warm-up ...");
		for (int i = 0; i < this.options.warmups(); i++) {
			this.driver.round(bus);
			for (Target baseline : baselines) {
				this.driver.round(baseline);
			}
		}
		List<Measurement> busRounds = new ArrayList<>();
		Map<Target, List<Measurement>> baselineRounds = new LinkedHashMap<>();
		baselines.forEach((baseline) -> baselineRounds.put(baseline, new ArrayList<>()));
		List<Double> ceilings = new ArrayList<>();
		table.header();
		for (int round = 1; round <= this.options.rounds(); round++) {
			for (Target target : order(bus, baselines, round)) {
				Measurement measurement = this.driver.round(target);
				((target == bus) ? busRounds : baselineRounds.get(target)).add(measurement);
				table.row(target.name(), String.valueOf(round), measurement);
			}
			DoubleSupplier measureCeiling = this.ceiling;
			if (measureCeiling != null) {
				double value = measureCeiling.getAsDouble();
				ceilings.add(value);
				table.value(this.ceilingName, String.valueOf(round), value);
			}
		}
		System.out.println();
		Map<String, Measurement> medians = new LinkedHashMap<>();
		medians.put(bus.name(), ComparisonTable.median(busRounds));
		baselineRounds.forEach((baseline, rounds) -> medians.put(baseline.name(), ComparisonTable.median(rounds)));
		medians.forEach((name, median) -> table.row(name, "median", median));
		if (!ceilings.isEmpty()) {
			table.value(this.ceilingName, "median", median(ceilings, Double::doubleValue));
		}
		baselineRounds.forEach((baseline, rounds) -> table
			.ratios((baselines.size() == 1) ? "bus/raw" : "bus/" + baseline.name(), busRounds, rounds));
		Target first = baselines.get(0);
		baselineRounds.forEach((baseline, rounds) -> {
			if (baseline != first) {
				table.ratios(baseline.name() + "/" + first.name(), rounds, baselineRounds.get(first));
			}
		});
		System.out.println("(ratio: of the medians; paired: median of the per-round ratios, each round against "
				+ "the other target's round of the same measured round)");
		if (this.cpu != null) {
			table.cpu(medians, this.processes);
		}
	}

	/**
	 * The targets of a measured round: the bus between the first baseline and the others,
	 * the order reversed every other round.
	 */
	private static List<Target> order(Target bus, List<Target> baselines, int round) {
		List<Target> order = new ArrayList<>(baselines.subList(1, baselines.size()));
		Collections.reverse(order);
		order.add(bus);
		order.add(baselines.get(0));
		if (round % 2 == 0) {
			Collections.reverse(order);
		}
		return order;
	}

	/**
	 * The median of the per-round ratios of a metric, each bus round against the baseline
	 * round run next to it.
	 */
	static <T> double pairedRatio(List<T> bus, List<T> raw, ToDoubleFunction<T> metric) {
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
		ComparisonTable table = new ComparisonTable(this.nameWidth);
		this.driver.round(target);
		List<Measurement> rounds = new ArrayList<>();
		table.header();
		for (int round = 1; round <= this.options.rounds(); round++) {
			Measurement measurement = this.driver.round(target);
			rounds.add(measurement);
			table.row(target.name(), String.valueOf(round), measurement);
		}
		if (this.cpu != null) {
			table.cpu(Map.of(target.name(), ComparisonTable.median(rounds)), this.processes);
		}
	}

	private void header() {
		System.out.println("== " + this.title);
		System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel()
				+ "), max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, java "
				+ System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), load average "
				+ loadAverage());
		System.out.println("run: " + this.options);
		this.configuration.forEach((line) -> System.out.println("config: " + line));
	}

	private static String cpuModel() {
		try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
			return lines.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	static <T> double median(List<T> rounds, ToDoubleFunction<T> metric) {
		return median(rounds.stream().mapToDouble(metric).toArray());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
