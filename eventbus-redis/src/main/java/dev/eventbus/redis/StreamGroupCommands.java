package dev.eventbus.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
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
 * The stream commands of one consumer of one group: XGROUP CREATE, XREADGROUP, XPENDING, XCLAIM,
 * XACK and XINFO GROUPS. Blocking reads go through a connection the caller holds (Lettuce gives it
 * a dedicated connection); every other command uses the factory's shared connection, XACK through
 * its asynchronous commands. Thread safe.
 */
final class StreamGroupCommands {

	private final StringRedisTemplate template;

	private final AsyncCommandsConnection async;

	private final byte[] key;

	private final String group;

	private final byte[] groupBytes;

	private final String consumer;

	StreamGroupCommands(StringRedisTemplate template, AsyncCommandsConnection async, String key, String group,
			String consumer) {
		this.template = template;
		this.async = async;
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
	 */
	void createGroup(RedisStreamSettings.GroupStart start) {
		try {
			execute((connection) -> connection.streamCommands()
				.xGroupCreate(this.key, this.group, ReadOffset.from(start.offset()), true));
		}
		catch (RuntimeException ex) {
			if (!isError(ex, "BUSYGROUP")) {
				throw ex;
			}
		}
	}

	/**
	 * Read entries never delivered to the group (XREADGROUP ... &gt;).
	 * @param connection the caller's connection
	 * @param count most entries
	 * @param block how long to wait for entries, or {@code null} (or under a millisecond, which
	 * XREADGROUP would take as forever) not to wait
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
	 * Entries pending with this consumer from {@code fromId} on, with their delivery counts.
	 * @param fromId the first id to include
	 * @param count most entries
	 * @return the entries, in id order
	 */
	PendingMessages ownPending(String fromId, int count) {
		return execute((connection) -> connection.streamCommands()
			.xPending(this.key, this.group,
					XPendingOptions.range(Range.closed(fromId, "+"), (long) count).consumer(this.consumer)));
	}

	/**
	 * Entries pending with any consumer for at least {@code minIdle}.
	 * @param minIdle the least idle time
	 * @param count most entries
	 * @return the entries, in id order
	 */
	PendingMessages idlePending(Duration minIdle, int count) {
		return execute((connection) -> connection.streamCommands()
			.xPending(this.key, this.group, XPendingOptions.range(Range.unbounded(), (long) count).minIdleTime(minIdle)));
	}

	/**
	 * Take entries over (XCLAIM), incrementing their delivery counts.
	 * @param minIdle only entries idle at least this long are taken
	 * @param ids the entry ids
	 * @return the entries taken that still exist
	 */
	List<ByteRecord> claim(Duration minIdle, List<String> ids) {
		List<ByteRecord> records = execute((connection) -> connection.streamCommands()
			.xClaim(this.key, this.group, this.consumer, XClaimOptions.minIdle(minIdle).ids(ids)));
		return (records != null) ? records : List.of();
	}

	/**
	 * Reset the idle time of entries this consumer holds, without counting a delivery.
	 * @param ids the entry ids
	 */
	void touch(List<String> ids) {
		execute((connection) -> connection.streamCommands()
			.xClaimJustId(this.key, this.group, this.consumer, XClaimOptions.minIdle(Duration.ZERO).ids(ids)));
	}

	/**
	 * Mark entries as idle for a time, without counting a delivery, so that other consumers claim
	 * them once they are idle for the claim idle time.
	 * @param ids the entry ids
	 * @param idle the idle time to set
	 * @param deliveryCount the delivery count to set (XCLAIM RETRYCOUNT), or {@code null} to keep it
	 */
	void release(List<String> ids, Duration idle, @Nullable Long deliveryCount) {
		XClaimOptions options = XClaimOptions.minIdle(Duration.ZERO).ids(ids).idle(idle);
		XClaimOptions withCount = (deliveryCount != null) ? options.retryCount(deliveryCount) : options;
		execute((connection) -> connection.streamCommands().xClaimJustId(this.key, this.group, this.consumer, withCount));
	}

	void ack(String id) {
		execute((connection) -> connection.streamCommands().xAck(this.key, this.group, id));
	}

	/**
	 * Acknowledge entries with one XACK, without waiting for the reply on Lettuce.
	 * @param ids the entry ids
	 * @return the number of entries Redis acknowledged, once it replied
	 */
	CompletionStage<?> acknowledge(List<String> ids) {
		String[] array = ids.toArray(String[]::new);
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.async.commands();
		if (commands == null) {
			return CompletableFuture.completedFuture(
					execute((connection) -> connection.streamCommands().xAck(this.key, this.group, array)));
		}
		return commands.xack(this.key, this.groupBytes, array);
	}

	/**
	 * Lag and pending count of the group (XINFO GROUPS).
	 * @return {@code lag} (when Redis knows it) and {@code pending}, or empty when the group is gone
	 */
	Map<String, Object> figures() {
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
		return figures;
	}

	private <T> T execute(RedisCallback<T> action) {
		return this.template.execute(action);
	}

	/**
	 * Whether an exception carries a Redis error code.
	 * @param ex the exception
	 * @param code the error code, such as {@code NOGROUP}
	 * @return whether it or a cause names the code
	 */
	static boolean isError(Throwable ex, String code) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message != null && message.contains(code)) {
				return true;
			}
		}
		return false;
	}

}
