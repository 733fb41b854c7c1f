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
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * Counts the HTTP requests an SDK client sends, per API operation (every attempt counts,
 * retries included), and times the API calls, from the SDK taking the request to its
 * response being unmarshalled, with the entries per batch request (messages per receive)
 * and the request bytes. Thread safe.
 */
final class RequestCounter implements ExecutionInterceptor {

	private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("benchmarkCallStarted");

	private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> callNanos = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> entries = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		attributes.putAttribute(STARTED, System.nanoTime());
		int size = -1;
		if (context.request() instanceof SendMessageBatchRequest send) {
			size = send.entries().size();
		}
		else if (context.request() instanceof DeleteMessageBatchRequest delete) {
			size = delete.entries().size();
		}
		else if (context.request() instanceof ChangeMessageVisibilityBatchRequest change) {
			size = change.entries().size();
		}
		if (size >= 0) {
			this.entries.computeIfAbsent(operation(attributes), (key) -> new LongAdder()).add(size);
		}
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		Long started = attributes.getAttribute(STARTED);
		if (started != null) {
			String operation = operation(attributes);
			this.calls.computeIfAbsent(operation, (key) -> new LongAdder()).increment();
			this.callNanos.computeIfAbsent(operation, (key) -> new LongAdder()).add(System.nanoTime() - started);
			if (context.response() instanceof ReceiveMessageResponse receive) {
				this.entries.computeIfAbsent(operation, (key) -> new LongAdder()).add(receive.messages().size());
			}
		}
	}

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		this.byOperation.computeIfAbsent(operation(attributes), (key) -> new LongAdder()).increment();
		context.httpRequest()
			.firstMatchingHeader("Content-Length")
			.ifPresent((length) -> this.bytes.computeIfAbsent(operation(attributes), (key) -> new LongAdder())
				.add(Long.parseLong(length)));
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

	/**
	 * Mean entries per batch request (messages per receive) and mean request bytes, per
	 * operation.
	 * @return the means by operation
	 */
	Map<String, String> meanSizes() {
		Map<String, String> means = new TreeMap<>();
		this.byOperation.forEach((operation, count) -> {
			LongAdder entryCount = this.entries.get(operation);
			LongAdder byteCount = this.bytes.get(operation);
			StringBuilder line = new StringBuilder();
			if (entryCount != null) {
				line.append(String.format(Locale.ROOT, "entries=%.2f ", (double) entryCount.sum() / count.sum()));
			}
			if (byteCount != null) {
				line.append(String.format(Locale.ROOT, "bytes=%.0f", (double) byteCount.sum() / count.sum()));
			}
			means.put(operation, line.toString().trim());
		});
		return means;
	}

}
