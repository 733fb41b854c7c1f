package dev.eventbus.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests an SDK client sends, per API operation (every attempt counts, retries
 * included), and times the API calls, from the SDK taking the request to its response being
 * unmarshalled. Thread safe.
 */
final class RequestCounter implements ExecutionInterceptor {

	private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("benchmarkCallStarted");

	private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> callNanos = new ConcurrentHashMap<>();

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		attributes.putAttribute(STARTED, System.nanoTime());
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		Long started = attributes.getAttribute(STARTED);
		if (started != null) {
			String operation = operation(attributes);
			this.calls.computeIfAbsent(operation, (key) -> new LongAdder()).increment();
			this.callNanos.computeIfAbsent(operation, (key) -> new LongAdder()).add(System.nanoTime() - started);
		}
	}

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		this.byOperation.computeIfAbsent(operation(attributes), (key) -> new LongAdder()).increment();
	}

	private static String operation(ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		return (operation != null) ? operation : "?";
	}

	long total() {
		return this.byOperation.values().stream().mapToLong(LongAdder::sum).sum();
	}

	Map<String, Long> snapshot() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.byOperation.forEach((operation, count) -> snapshot.put(operation, count.sum()));
		return snapshot;
	}

	/**
	 * Mean duration of the successful API calls so far, per operation.
	 * @return milliseconds by operation
	 */
	Map<String, String> meanCallMillis() {
		Map<String, String> means = new TreeMap<>();
		this.calls.forEach((operation, count) -> means.put(operation,
				String.format(Locale.ROOT, "%.1f", this.callNanos.get(operation).sum() / 1e6 / count.sum())));
		return means;
	}

}
