package dev.eventbus.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests an SDK client sends, per API operation (every attempt counts, retries
 * included). Thread safe.
 */
final class RequestCounter implements ExecutionInterceptor {

	private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		this.byOperation.computeIfAbsent((operation != null) ? operation : "?", (key) -> new LongAdder()).increment();
	}

	long total() {
		return this.byOperation.values().stream().mapToLong(LongAdder::sum).sum();
	}

	Map<String, Long> snapshot() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.byOperation.forEach((operation, count) -> snapshot.put(operation, count.sum()));
		return snapshot;
	}

}
