package dev.eventbus.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a batch handler returns: the items of its batch that failed, by their index in the
 * list it received, each with its failure. Every other item succeeded. A failed item is
 * retried by the handler's retry policy and then dead-lettered, on its own.
 * <pre class="code">
 * &#64;EventHandler("audit.*")
 * BatchResult record(List&lt;Event&lt;AuditEntry&gt;&gt; events) {
 *     Map&lt;Integer, Throwable&gt; failures = new HashMap&lt;&gt;();
 *     for (int i = 0; i &lt; events.size(); i++) {
 *         try {
 *             write(events.get(i));
 *         }
 *         catch (DataAccessException ex) {
 *             failures.put(i, ex);
 *         }
 *     }
 *     return BatchResult.failed(failures);
 * }
 * </pre>
 *
 * @param failures the failure of each failed item, by index
 */
public record BatchResult(SortedMap<Integer, Throwable> failures) {

	private static final BatchResult SUCCESS = new BatchResult(new TreeMap<>());

	public BatchResult {
		failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
		failures.forEach((index, failure) -> {
			Objects.requireNonNull(failure, "failure of item " + index);
			if (index < 0) {
				throw new IllegalArgumentException("item index must not be negative, was " + index);
			}
		});
	}

	/**
	 * Every item succeeded.
	 * @return the result
	 */
	public static BatchResult success() {
		return SUCCESS;
	}

	/**
	 * One item failed; the others succeeded.
	 * @param index the item's index in the batch
	 * @param failure why it failed
	 * @return the result
	 */
	public static BatchResult failed(int index, Throwable failure) {
		return new BatchResult(new TreeMap<>(Map.of(index, failure)));
	}

	/**
	 * Some items failed; the others succeeded.
	 * @param failures the failure of each failed item, by index
	 * @return the result
	 */
	public static BatchResult failed(Map<Integer, ? extends Throwable> failures) {
		return failures.isEmpty() ? SUCCESS : new BatchResult(new TreeMap<>(failures));
	}

	/**
	 * Whether every item succeeded.
	 * @return whether none failed
	 */
	public boolean isSuccess() {
		return this.failures.isEmpty();
	}

}
