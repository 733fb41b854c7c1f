package dev.eventbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The setups of {@link InMemoryBenchmark}, run alternately in one JVM in short rounds, so
 * that drift and neighbours' load hit every target alike: the in-memory counterpart of
 * the adapter benchmarks' paired rounds. Each round publishes batches of 1,000 events for
 * {@code bench.roundMillis} (default 1,500) and waits for each batch to be handled, as
 * {@code InMemoryBenchmark.throughput} does. Prints, per target, the median events per
 * second, the CPU time per event of the publishing thread and of the whole process, the
 * p50 and p99 latency of events published one at a time at {@code bench.rate} per second
 * (default 1,000) after each round's throughput phase, and the paired ratios of each bus
 * target to each Spring one (median of the per-round ratios).
 * <p>
 * Also prints the bytes allocated per event by all threads, and the CPU time the process
 * spends in {@code bench.idleSeconds} (default 10) with an idle bus that has a handler.
 * <p>
 * Run: {@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar
 * dev.eventbus.benchmarks.InMemoryComparison [targets] [rounds]}; targets default to
 * {@value #DEFAULT_TARGETS} (see {@link Setups}), rounds to 7, after 2 warm-up rounds.
 */
public final class InMemoryComparison {

	private static final int BATCH = InMemoryBenchmark.BATCH;

	private static final int WARMUPS = 2;

	private static final String DEFAULT_TARGETS = "eventbus,eventbus-no-metrics,spring-sync,spring-async,"
			+ "eventbus-outbox,spring-modulith";

	/** The setups that publish in a transaction, compared with each other only. */
	private static final Set<String> TRANSACTIONAL = Set.of("eventbus-outbox", "spring-modulith");

	private static final int LATENCY_EVENTS = Integer.getInteger("bench.latencyEvents", 500);

	private static final int LATENCY_RATE = Integer.getInteger("bench.rate", 1_000);

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final com.sun.management.OperatingSystemMXBean PROCESS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private InMemoryComparison() {
	}

	public static void main(String[] args) throws InterruptedException {
		List<String> targets = Arrays.asList(((args.length > 0) ? args[0] : DEFAULT_TARGETS).split(","));
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
		System.out.printf("%-24s %14s %22s %20s %16s %10s %10s%n", "target", "events/s", "publishing thread CPU",
				"process CPU", "allocated", "p50 us", "p99 us");
		for (String target : targets) {
			List<Round> measured = results.get(target);
			System.out.printf("%-24s %,14.0f %19.0f ns %17.0f ns %12.0f B/ev %10.1f %10.1f%n", target,
					Comparison.median(measured, Round::rate), Comparison.median(measured, Round::threadNanosPerEvent),
					Comparison.median(measured, Round::processNanosPerEvent),
					Comparison.median(measured, Round::bytesPerEvent), Comparison.median(measured, Round::p50Micros),
					Comparison.median(measured, Round::p99Micros));
		}
		System.out.println("paired ratios (median of the per-round ratios): events/s, p99, process CPU, allocated");
		for (String bus : targets) {
			for (String other : targets) {
				if (bus.startsWith("eventbus") && !other.startsWith("eventbus")
						&& TRANSACTIONAL.contains(bus) == TRANSACTIONAL.contains(other)) {
					List<Round> mine = results.get(bus);
					List<Round> theirs = results.get(other);
					System.out.printf("%s / %s: %.2fx, %.2fx, %.2fx, %.2fx%n", bus, other,
							Comparison.pairedRatio(mine, theirs, Round::rate),
							Comparison.pairedRatio(mine, theirs, Round::p99Micros),
							Comparison.pairedRatio(mine, theirs, Round::processNanosPerEvent),
							Comparison.pairedRatio(mine, theirs, Round::bytesPerEvent));
				}
			}
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

	private static Round run(Setups.Target setup, long roundNanos) throws InterruptedException {
		long threadStart = THREADS.getCurrentThreadCpuTime();
		long allocatedStart = ThreadCpu.allocatedBytes();
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
		double threadNanos = (THREADS.getCurrentThreadCpuTime() - threadStart) / (double) events;
		double processNanos = (PROCESS.getProcessCpuTime() - processStart) / (double) events;
		double bytes = (ThreadCpu.allocatedBytes() - allocatedStart) / (double) events;
		long[] latencies = latencies(setup);
		return new Round(events * 1e9 / elapsed, threadNanos, processNanos, bytes,
				latencies[latencies.length / 2] / 1_000.0, latencies[(int) (latencies.length * 0.99)] / 1_000.0);
	}

	/**
	 * Publish one event at a time at {@code bench.rate} per second (default 1,000, far
	 * below saturation) and time each from before its publish to its handling.
	 * @return the latencies, sorted, in nanoseconds
	 */
	private static long[] latencies(Setups.Target setup) throws InterruptedException {
		long[] latencies = new long[LATENCY_EVENTS];
		long interval = TimeUnit.SECONDS.toNanos(1) / LATENCY_RATE;
		long start = System.nanoTime();
		for (int i = 0; i < latencies.length; i++) {
			long wait;
			while ((wait = start + i * interval - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			CountDownLatch handled = new CountDownLatch(1);
			setup.expect(handled);
			long sent = System.nanoTime();
			setup.publish(i);
			if (!handled.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("event not handled");
			}
			latencies[i] = System.nanoTime() - sent;
		}
		Arrays.sort(latencies);
		return latencies;
	}

	private record Round(double rate, double threadNanosPerEvent, double processNanosPerEvent, double bytesPerEvent,
			double p50Micros, double p99Micros) {
	}

}
