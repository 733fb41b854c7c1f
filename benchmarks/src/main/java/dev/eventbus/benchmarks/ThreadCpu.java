package dev.eventbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this JVM split by thread category, from {@link ThreadMXBean} per-thread CPU
 * times and the process CPU time; {@value #JVM} is what no Java thread accounts for
 * (garbage collection, JIT compilation). Snapshots are taken before and after a
 * throughput phase, so the difference divided by the events is CPU per event. Everything
 * in the JVM counts, the in-JVM broker included.
 */
final class ThreadCpu {

	/** Category of the process CPU not accounted for by Java threads. */
	static final String JVM = "jvm";

	/** Category of the whole process. */
	static final String TOTAL = "total";

	private final Function<String, String> categories;

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	/**
	 * Create a meter.
	 * @param categories the category of a thread, by its name
	 */
	ThreadCpu(Function<String, String> categories) {
		this.categories = categories;
	}

	/**
	 * CPU nanoseconds used so far, by category, in the order first seen, then
	 * {@value #JVM} and {@value #TOTAL}. Threads that ended since the previous snapshot
	 * are missing from it.
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
		return result;
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
