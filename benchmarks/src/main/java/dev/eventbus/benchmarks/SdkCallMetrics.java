package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * The SDK's own metrics of every API call of one client, averaged per operation: where a
 * call's time goes (marshalling, signing, waiting for a connection, time to the
 * response's first byte, unmarshalling) and how many requests the HTTP client had leased
 * or waiting when it was made. Enabled with {@code -Dbench.sdkMetrics=true}, for all
 * sides alike. Thread safe.
 */
final class SdkCallMetrics implements MetricPublisher {

	private static final Map<String, SdkMetric<Duration>> DURATIONS = new LinkedHashMap<>();

	private static final Map<String, SdkMetric<Integer>> COUNTS = new LinkedHashMap<>();

	static {
		DURATIONS.put("call", CoreMetric.API_CALL_DURATION);
		DURATIONS.put("marshal", CoreMetric.MARSHALLING_DURATION);
		DURATIONS.put("sign", CoreMetric.SIGNING_DURATION);
		DURATIONS.put("acquire", HttpMetric.CONCURRENCY_ACQUIRE_DURATION);
		DURATIONS.put("firstByte", CoreMetric.TIME_TO_FIRST_BYTE);
		DURATIONS.put("service", CoreMetric.SERVICE_CALL_DURATION);
		DURATIONS.put("unmarshal", CoreMetric.UNMARSHALLING_DURATION);
		COUNTS.put("leased", HttpMetric.LEASED_CONCURRENCY);
		COUNTS.put("pending", HttpMetric.PENDING_CONCURRENCY_ACQUIRES);
	}

	private final Map<String, Map<String, LongAdder>> sums = new ConcurrentHashMap<>();

	private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

	/**
	 * Whether the benchmark records the SDK's metrics ({@code -Dbench.sdkMetrics=true}).
	 * @return whether it does
	 */
	static boolean enabled() {
		return Boolean.getBoolean("bench.sdkMetrics");
	}

	@Override
	public void publish(MetricCollection metrics) {
		List<String> names = metrics.metricValues(CoreMetric.OPERATION_NAME);
		String operation = names.isEmpty() ? "?" : names.get(0);
		record(operation, metrics);
	}

	private void record(String operation, MetricCollection metrics) {
		DURATIONS.forEach((name, metric) -> metrics.metricValues(metric)
			.forEach((value) -> add(operation, name, value.toNanos())));
		COUNTS.forEach((name, metric) -> metrics.metricValues(metric).forEach((value) -> add(operation, name, value)));
		metrics.children().forEach((child) -> record(operation, child));
	}

	private void add(String operation, String name, long value) {
		this.sums.computeIfAbsent(operation, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(name, (key) -> new LongAdder())
			.add(value);
		this.counts.computeIfAbsent(operation, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(name, (key) -> new LongAdder())
			.increment();
	}

	/**
	 * Means per operation: durations in milliseconds, concurrency figures as they are.
	 * @return the means, by operation
	 */
	Map<String, String> means() {
		Map<String, String> means = new TreeMap<>();
		this.sums.forEach((operation, byName) -> {
			StringBuilder line = new StringBuilder();
			for (String name : DURATIONS.keySet()) {
				append(line, operation, name, byName, 1e6);
			}
			for (String name : COUNTS.keySet()) {
				append(line, operation, name, byName, 1);
			}
			means.put(operation, line.toString().trim());
		});
		return means;
	}

	private void append(StringBuilder line, String operation, String name, Map<String, LongAdder> byName, double unit) {
		LongAdder sum = byName.get(name);
		LongAdder count = this.counts.get(operation).get(name);
		if (sum != null && count != null && count.sum() > 0) {
			line.append(' ')
				.append(name)
				.append('=')
				.append(String.format(Locale.ROOT, "%.2f", sum.sum() / unit / count.sum()));
		}
	}

	@Override
	public void close() {
	}

}
