package dev.eventbus.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * CPU time of this JVM split by thread category, from {@link ThreadMXBean} per-thread CPU
 * times and the process CPU time; {@value #JVM} is what no Java thread accounts for
 * (garbage collection, JIT compilation). Snapshots are taken before and after a
 * throughput phase, so the difference divided by the events is CPU per event. Everything
 * in the JVM counts, the in-JVM broker included; a broker in another process counts as
 * its own category when {@link #process added}.
 */
final class ThreadCpu {

	/** Category of the process CPU not accounted for by Java threads. */
	static final String JVM = "jvm";

	/** Category of the whole process. */
	static final String TOTAL = "total";

	/** Category of the whole process and the other processes measured. */
	static final String ALL = "all";

	private final Function<String, String> categories;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final Map<String, LongSupplier> processes = new LinkedHashMap<>();

	/**
	 * Create a meter.
	 * @param categories the category of a thread, by its name
	 */
	ThreadCpu(Function<String, String> categories) {
		this.categories = categories;
	}

	/**
	 * Also measure the CPU of another process, such as a broker outside this JVM, as a
	 * category of its own after {@value #TOTAL} (which stays this JVM's).
	 * @param category its category
	 * @param cpuNanos its CPU time so far, such as {@link #processCpuNanos(long)}
	 * @return this
	 */
	ThreadCpu process(String category, LongSupplier cpuNanos) {
		this.processes.put(category, cpuNanos);
		return this;
	}

	/**
	 * CPU nanoseconds used so far, by category, in the order first seen, then
	 * {@value #JVM} and {@value #TOTAL}, then the other processes. Threads that ended
	 * since the previous snapshot are missing from it.
	 * @return the snapshot
	 */
	Map<String, Long> snapshot() {
		Map<String, Long> result = new LinkedHashMap<>();
		long accounted = 0;
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long nanos = this.threads.getThreadCpuTime(info.getThreadId());
			if (nanos > 0) {
				result.merge(this.categories.apply(info.getThreadName()), nanos, Long::sum);
				accounted += nanos;
			}
		}
		long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		result.put(JVM, total - accounted);
		result.put(TOTAL, total);
		long all = total;
		for (Map.Entry<String, LongSupplier> process : this.processes.entrySet()) {
			long nanos = process.getValue().getAsLong();
			result.put(process.getKey(), nanos);
			all += nanos;
		}
		if (!this.processes.isEmpty()) {
			result.put(ALL, all);
		}
		return result;
	}

	/**
	 * Bytes allocated so far by the live threads of this JVM.
	 * @return the bytes
	 */
	static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			total += Math.max(0, bytes);
		}
		return total;
	}

	/**
	 * CPU time of another process from {@code /proc/<pid>/stat}: user and system ticks,
	 * 100 per second.
	 * @param pid the process
	 * @return its CPU time in nanoseconds, or 0 when it cannot be read
	 */
	static long processCpuNanos(long pid) {
		try {
			String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Microseconds per event by category between two snapshots.
	 * @param before the earlier snapshot
	 * @param after the later snapshot
	 * @param events the events in between
	 * @return the CPU per event, by category
	 */
	static Map<String, Double> perEvent(Map<String, Long> before, Map<String, Long> after, int events) {
		Map<String, Double> result = new LinkedHashMap<>();
		after.forEach((category, nanos) -> result.put(category,
				Math.max(0, nanos - before.getOrDefault(category, 0L)) / 1_000.0 / events));
		return result;
	}

}
