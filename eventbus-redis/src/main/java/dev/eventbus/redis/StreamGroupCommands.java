package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XPendingOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The stream commands of one consumer of one group: XGROUP CREATE, XREADGROUP, XPENDING,
 * XCLAIM, XACK and XINFO GROUPS. Blocking reads go through a connection the caller holds
 * (Lettuce gives it a dedicated connection); every other command uses the factory's
 * shared connection, XACK through its asynchronous commands when there are any (see
 * {@link StreamAppender#asyncCommands()}). Commands on many entries are sent in chunks of
 * {@value #CHUNK} ids. Keeps the group's figures as of their last refresh. Thread safe.
 */
final class StreamGroupCommands {

	private static final Log logger = LogFactory.getLog(StreamGroupCommands.class);

	private static final int CHUNK = 100;

	private static final Map<String, @Nullable Object> NOT_MEASURED = notMeasured();

	private final StringRedisTemplate template;

	private final Supplier<@Nullable RedisClusterAsyncCommands<byte[], byte[]>> asyncCommands;

	private final byte[] key;

	private final String group;

	private final byte[] groupBytes;

	private final String consumer;

	private volatile Map<String, @Nullable Object> figures = NOT_MEASURED;

	StreamGroupCommands(StringRedisTemplate template,
			Supplier<@Nullable RedisClusterAsyncCommands<byte[], byte[]>> asyncCommands, String key, String group,
			String consumer) {
		this.template = template;
		this.asyncCommands = asyncCommands;
		this.key = StreamEntryLayout.bytes(key);
		this.group = group;
		this.groupBytes = StreamEntryLayout.bytes(group);
		this.consumer = consumer;
	}

	String consumer() {
		return this.consumer;
	}

	/**
	 * Create the group and, if needed, the stream; an existing group is kept as it is.
	 * @param start where a new group starts
	 * @return whether the group was created, rather than found
	 */
	boolean createGroup(RedisStreamSettings.GroupStart start) {
		try {
			execute((connection) -> connection.streamCommands()
				.xGroupCreate(this.key, this.group, ReadOffset.from(start.offset()), true));
			return true;
		}
		catch (RuntimeException ex) {
			if (!isError(ex, "BUSYGROUP")) {
				throw ex;
			}
			return false;
		}
	}

	/**
	 * Read entries never delivered to the group (XREADGROUP ... &gt;).
	 * @param connection the caller's connection
	 * @param count most entries
	 * @param block how long to wait for entries, or {@code null} (or under a millisecond,
	 * which XREADGROUP would take as forever) not to wait
	 * @return the entries
	 */
	List<ByteRecord> readNew(RedisConnection connection, int count, @Nullable Duration block) {
		StreamReadOptions options = StreamReadOptions.empty().count(count);
		if (block != null && block.toMillis() >= 1) {
			options = options.block(block);
		}
		List<ByteRecord> records = connection.streamCommands()
			.xReadGroup(Consumer.from(this.group, this.consumer), options,
					StreamOffset.create(this.key, ReadOffset.lastConsumed()));
		return (records != null) ? records : List.of();
	}

	/**
	 * Entries pending with this consumer after {@code afterId}, with their delivery
	 * counts.
	 * @param afterId the id before the first to include, {@code 0-0} for all
	 * @param count most entries
	 * @return the entries, in id order
	 */
	PendingMessages ownPending(String afterId, int count) {
		Range<String> range = Range.closed(next(afterId), "+");
		return execute((connection) -> connection.streamCommands()
			.xPending(this.key, this.group, XPendingOptions.range(range, (long) count).consumer(this.consumer)));
	}

	/**
	 * The smallest entry id after another (exclusive ranges need Redis 6.2).
	 * @param id an entry id {@code <ms>-<seq>}
	 * @return the next id
	 */
	static String next(String id) {
		int dash = id.indexOf('-');
		if (dash < 0) {
			return id + "-1";
		}
		return id.substring(0, dash + 1) + (Long.parseUnsignedLong(id.substring(dash + 1)) + 1);
	}

	/**
	 * Entries pending with any consumer for at least {@code minIdle}.
	 * @param minIdle the least idle time
	 * @param count most entries
	 * @return the entries, in id order
	 */
	PendingMessages idlePending(Duration minIdle, int count) {
		return execute((connection) -> connection.streamCommands()
			.xPending(this.key, this.group,
					XPendingOptions.range(Range.unbounded(), (long) count).minIdleTime(minIdle)));
	}

	/**
	 * Take entries over (XCLAIM), incrementing their delivery counts. Entries deleted
	 * (trimmed) while pending, which Redis before 7 keeps pending, are acknowledged and
	 * left out.
	 * @param minIdle only entries idle at least this long are taken
	 * @param ids the entry ids
	 * @return the entries taken that still exist
	 */
	List<ByteRecord> claim(Duration minIdle, Collection<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		List<ByteRecord> records = execute((connection) -> connection.streamCommands()
			.xClaim(this.key, this.group, this.consumer, XClaimOptions.minIdle(minIdle).ids(new ArrayList<>(ids))));
		List<ByteRecord> existing = new ArrayList<>();
		for (ByteRecord record : (records != null) ? records : List.<ByteRecord>of()) {
			if (record.getValue() == null || record.getValue().isEmpty()) {
				execute((connection) -> connection.streamCommands().xAck(this.key, this.group, record.getId()));
			}
			else {
				existing.add(record);
			}
		}
		return existing;
	}

	/**
	 * Reset the idle time of entries this consumer holds, without counting a delivery.
	 * @param ids the entry ids
	 */
	void touch(Collection<String> ids) {
		for (List<String> chunk : chunks(ids)) {
			execute((connection) -> connection.streamCommands()
				.xClaimJustId(this.key, this.group, this.consumer, XClaimOptions.minIdle(Duration.ZERO).ids(chunk)));
		}
	}

	/**
	 * Mark entries as idle for a time, without counting a delivery, so that other
	 * consumers claim them once they are idle for the claim idle time. Never throws: a
	 * failure is logged, and the entries are claimed after the claim idle time instead.
	 * @param ids the entry ids
	 * @param idle the idle time to set
	 * @param deliveryCount the delivery count to set (XCLAIM RETRYCOUNT), or {@code null}
	 * to keep it
	 */
	void release(Collection<String> ids, Duration idle, @Nullable Long deliveryCount) {
		try {
			for (List<String> chunk : chunks(ids)) {
				XClaimOptions options = XClaimOptions.minIdle(Duration.ZERO).ids(chunk).idle(idle);
				XClaimOptions withCount = (deliveryCount != null) ? options.retryCount(deliveryCount) : options;
				execute((connection) -> connection.streamCommands()
					.xClaimJustId(this.key, this.group, this.consumer, withCount));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand " + ids.size() + " entries back to the group of consumer '" + this.consumer
					+ "'; other consumers claim them after the claim idle time", ex);
		}
	}

	private static List<List<String>> chunks(Collection<String> ids) {
		List<String> all = new ArrayList<>(ids);
		List<List<String>> chunks = new ArrayList<>();
		for (int from = 0; from < all.size(); from += CHUNK) {
			chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
		}
		return chunks;
	}

	/**
	 * Acknowledge entries with one XACK, without waiting for the reply when there are
	 * asynchronous commands.
	 * @param ids the entry ids
	 * @return the number of entries Redis acknowledged once it replied, or the failure;
	 * never throws
	 */
	CompletableFuture<?> acknowledge(List<String> ids) {
		String[] array = ids.toArray(String[]::new);
		try {
			RedisClusterAsyncCommands<byte[], byte[]> commands = this.asyncCommands.get();
			if (commands == null) {
				return CompletableFuture.completedFuture(
						execute((connection) -> connection.streamCommands().xAck(this.key, this.group, array)));
			}
			return commands.xack(this.key, this.groupBytes, array).toCompletableFuture();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The group's {@code lag} and {@code pending} count as of the last
	 * {@link #refreshFigures()}: named but without a value before it, so that their
	 * gauges exist.
	 * @return the figures
	 */
	Map<String, @Nullable Object> figures() {
		return this.figures;
	}

	/**
	 * Read the group's lag (when Redis knows it) and pending count (XINFO GROUPS); none
	 * when the group is gone.
	 */
	void refreshFigures() {
		Map<String, Object> figures = new LinkedHashMap<>();
		execute((connection) -> {
			for (XInfoGroup info : connection.streamCommands().xInfoGroups(this.key)) {
				if (this.group.equals(info.groupName())) {
					Object lag = info.getRaw().get("lag");
					if (lag instanceof Number number) {
						figures.put("lag", number.longValue());
					}
					figures.put("pending", info.pendingCount());
				}
			}
			return null;
		});
		this.figures = Collections.unmodifiableMap(figures);
	}

	private <T> T execute(RedisCallback<T> action) {
		return this.template.execute(action);
	}

	private static boolean isError(Throwable ex, String code) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message != null && message.contains(code)) {
				return true;
			}
		}
		return false;
	}

	private static Map<String, @Nullable Object> notMeasured() {
		Map<String, @Nullable Object> figures = new LinkedHashMap<>();
		figures.put("lag", null);
		figures.put("pending", null);
		return Collections.unmodifiableMap(figures);
	}

}
