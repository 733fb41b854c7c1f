package dev.eventbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The setups of {@link InMemoryBenchmark}, run alternately in one JVM in short rounds, so
 * that drift and neighbours' load hit every target alike: the in-memory counterpart of
 * the adapter benchmarks' paired rounds. Each round publishes batches of 1,000 events for
 * {@code bench.roundMillis} (default 1,500) and waits for each batch to be handled, as
 * {@code InMemoryBenchmark.throughput} does. Prints, per target, the median events per
 * second, the CPU time per event of the publishing thread and of the whole process, and
 * the paired ratios of the first target to each other one (median of the per-round
 * ratios).
 * <p>
 * Also prints the bytes allocated per event by all threads, and the CPU time the process
 * spends in {@code bench.idleSeconds} (default 10) with an idle bus that has a handler.
 * <p>
 * Run: {@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar
 * dev.eventbus.benchmarks.InMemoryComparison [targets] [rounds]}; targets default to
 * {@code eventbus,eventbus-no-metrics,spring-sync,spring-async}, rounds to 7, after 2
 * warm-up rounds.
 */
public final class InMemoryComparison {

	private static final int BATCH = InMemoryBenchmark.BATCH;

	private static final int WARMUPS = 2;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final com.sun.management.OperatingSystemMXBean PROCESS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private InMemoryComparison() {
	}

	public static void main(String[] args) throws InterruptedException {
		List<String> targets = Arrays
			.asList(((args.length > 0) ? args[0] : "eventbus,eventbus-no-metrics,spring-sync,spring-async").split(","));
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 7;
		long roundNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("bench.roundMillis", 1_500));
		Map<String, Setups.Target> setups = new LinkedHashMap<>();
		Map<String, List<Round>> results = new LinkedHashMap<>();
		for (String target : targets) {
			setups.put(target, Setups.create(target));
			results.put(target, new ArrayList<>());
		}
		System.out.printf("InMemoryComparison: %d rounds of %d ms after %d warm-up rounds, load average %.2f%n", rounds,
				TimeUnit.NANOSECONDS.toMillis(roundNanos), WARMUPS, PROCESS.getSystemLoadAverage());
		try {
			for (int round = -WARMUPS; round < rounds; round++) {
				for (String target : targets) {
					Round result = run(setups.get(target), roundNanos);
					if (round >= 0) {
						results.get(target).add(result);
					}
				}
			}
		}
		finally {
			setups.values().forEach(Setups.Target::close);
		}
		System.out.printf("%-24s %14s %22s %20s %16s%n", "target", "events/s", "publishing thread CPU", "process CPU",
				"allocated");
		for (String target : targets) {
			List<Round> measured = results.get(target);
			System.out.printf("%-24s %,14.0f %19.0f ns %17.0f ns %12.0f B/ev%n", target,
					Comparison.median(measured, Round::rate), Comparison.median(measured, Round::threadNanosPerEvent),
					Comparison.median(measured, Round::processNanosPerEvent),
					Comparison.median(measured, Round::bytesPerEvent));
		}
		String first = targets.get(0);
		for (String other : targets.subList(1, targets.size())) {
			System.out.printf("%s / %s: %.2fx (paired)%n", first, other,
					Comparison.pairedRatio(results.get(first), results.get(other), Round::rate));
		}
		System.out.printf("load average at the end %.2f%n", PROCESS.getSystemLoadAverage());
		idle(Integer.getInteger("bench.idleSeconds", 10));
	}

	/** The process CPU time while a bus with a handler has nothing to do. */
	private static void idle(int seconds) throws InterruptedException {
		Setups.Target idle = Setups.create("eventbus");
		try {
			Thread.sleep(1_000);
			long start = PROCESS.getProcessCpuTime();
			Thread.sleep(seconds * 1_000L);
			System.out.printf("idle bus: %d ms of process CPU in %d s%n",
					TimeUnit.NANOSECONDS.toMillis(PROCESS.getProcessCpuTime() - start), seconds);
		}
		finally {
			idle.close();
		}
	}

	private static long allocatedBytes() {
		long[] ids = THREADS.getAllThreadIds();
		long total = 0;
		for (long bytes : THREADS.getThreadAllocatedBytes(ids)) {
			total += Math.max(0, bytes);
		}
		return total;
	}

	private static Round run(Setups.Target setup, long roundNanos) throws InterruptedException {
		long threadStart = THREADS.getCurrentThreadCpuTime();
		long allocatedStart = allocatedBytes();
		long processStart = PROCESS.getProcessCpuTime();
		long start = System.nanoTime();
		long events = 0;
		int sequence = 0;
		while (System.nanoTime() - start < roundNanos) {
			CountDownLatch handled = new CountDownLatch(BATCH);
			setup.expect(handled);
			for (int i = 0; i < BATCH; i++) {
				setup.publish(sequence++);
			}
			if (!handled.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("only " + (BATCH - handled.getCount()) + " of a batch handled");
			}
			events += BATCH;
		}
		long elapsed = System.nanoTime() - start;
		return new Round(events * 1e9 / elapsed, (THREADS.getCurrentThreadCpuTime() - threadStart) / (double) events,
				(PROCESS.getProcessCpuTime() - processStart) / (double) events,
				(allocatedBytes() - allocatedStart) / (double) events);
	}

	private record Round(double rate, double threadNanosPerEvent, double processNanosPerEvent, double bytesPerEvent) {
	}

}
