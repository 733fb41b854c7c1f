package dev.eventbus.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Appends messages to streams with XADD (MAXLEN ~ when a maximum length is set). On Lettuce sends are
 * asynchronous and pipelined on the factory's shared connection (see {@link AsyncCommandsConnection});
 * with another client each send runs on the caller's thread. A send completes with the entry id
 * once Redis replied, or exceptionally, for instance after the connection's command timeout while
 * Redis is unreachable: never silently dropped. Sends waiting for their reply are counted, not
 * kept, for {@link #flush(Duration)}. Thread safe.
 */
final class StreamAppender {

	private final StringRedisTemplate template;

	private final AsyncCommandsConnection connection;

	private final String keyPrefix;

	private final XAddOptions options;

	private final @Nullable XAddArgs args;

	private final InFlightCounter inFlight = new InFlightCounter();

	StreamAppender(AsyncCommandsConnection connection, StringRedisTemplate template, RedisStreamSettings settings) {
		this.template = template;
		this.connection = connection;
		this.keyPrefix = settings.keyPrefix();
		Long maxLength = settings.maxLength();
		this.options = (maxLength != null) ? XAddOptions.maxlen(maxLength).approximateTrimming(true)
				: XAddOptions.none();
		this.args = (maxLength != null) ? new XAddArgs().maxlen(maxLength).approximateTrimming() : null;
	}

	CompletableFuture<SendResult> append(OutboundMessage message) {
		byte[] key = StreamEntryLayout.bytes(this.keyPrefix + message.destination());
		Map<byte[], byte[]> fields;
		RedisClusterAsyncCommands<byte[], byte[]> commands;
		try {
			fields = StreamEntryLayout.fields(message);
			commands = this.connection.commands();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(failure(message, ex));
		}
		if (commands == null) {
			return appendNow(message, key, fields);
		}
		CompletableFuture<SendResult> result = new CompletableFuture<>();
		this.inFlight.begin(1);
		try {
			RedisFuture<String> reply = (this.args != null) ? commands.xadd(key, this.args, fields)
					: commands.xadd(key, fields);
			reply.whenComplete((id, ex) -> {
				this.inFlight.end(1);
				complete(result, message, id, ex);
			});
		}
		catch (RuntimeException ex) {
			this.inFlight.end(1);
			result.completeExceptionally(failure(message, ex));
		}
		return result;
	}

	private CompletableFuture<SendResult> appendNow(OutboundMessage message, byte[] key, Map<byte[], byte[]> fields) {
		try {
			RecordId id = this.template.execute((RedisCallback<RecordId>) (redis) -> redis.streamCommands()
				.xAdd(StreamRecords.rawBytes(fields).withStreamKey(key), this.options));
			return CompletableFuture.completedFuture(result(message, (id != null) ? id.getValue() : null));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(failure(message, ex));
		}
	}

	private static void complete(CompletableFuture<SendResult> result, OutboundMessage message, @Nullable String id,
			@Nullable Throwable ex) {
		if (ex != null) {
			result.completeExceptionally(failure(message, ex));
		}
		else if (id == null) {
			result.completeExceptionally(noEntryId(message));
		}
		else {
			result.complete(new SendResult(id));
		}
	}

	private static SendResult result(OutboundMessage message, @Nullable String id) {
		if (id == null) {
			throw noEntryId(message);
		}
		return new SendResult(id);
	}

	private static PublishException noEntryId(OutboundMessage message) {
		return new PublishException("Redis returned no entry id for message '" + message.id() + "' to '"
				+ message.destination() + "'");
	}

	private static PublishException failure(OutboundMessage message, Throwable ex) {
		return new PublishException("XADD of message '" + message.id() + "' to '" + message.destination()
				+ "' failed: " + ex.getMessage(), ex);
	}

	/**
	 * Wait for the sends still waiting for Redis' reply.
	 * @param timeout the longest wait
	 * @return whether all completed in time
	 */
	boolean flush(Duration timeout) {
		return this.inFlight.await(timeout);
	}

}
