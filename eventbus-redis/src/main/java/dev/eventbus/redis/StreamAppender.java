package dev.eventbus.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Appends messages to streams with XADD (MAXLEN ~ when a maximum length is set). With a
 * Lettuce factory sends use Lettuce's asynchronous commands on a connection of the
 * factory, its shared native connection unless it does not share one: a
 * {@code RedisFuture} per command, pipelined, with the factory's server, credentials,
 * SSL, sentinel or cluster set-up and command timeout. A connection that was closed (the
 * factory was reset or restarted) is replaced on the next send; one that is reconnecting
 * is kept, and Lettuce queues commands on it until it is back or their timeout passed.
 * With any other factory each send runs on the caller's thread. A send completes with the
 * entry id once Redis replied, or exceptionally, for instance after the command timeout
 * while Redis is unreachable: never silently dropped. Thread safe.
 */
final class StreamAppender {

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate template;

	private final String keyPrefix;

	private final XAddOptions options;

	private final @Nullable XAddArgs args;

	private final Set<CompletableFuture<SendResult>> unanswered = ConcurrentHashMap.newKeySet();

	private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> asyncCommands;

	/** The connection of {@link #asyncCommands}; guarded by {@code this}. */
	private @Nullable RedisConnection connection;

	private boolean closed;

	StreamAppender(RedisConnectionFactory connectionFactory, RedisStreamSettings settings) {
		this.connectionFactory = connectionFactory;
		this.template = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = settings.keyPrefix();
		Long maxLength = settings.maxLength();
		this.options = (maxLength != null) ? XAddOptions.maxlen(maxLength).approximateTrimming(true)
				: XAddOptions.none();
		this.args = (maxLength != null) ? new XAddArgs().maxlen(maxLength).approximateTrimming() : null;
	}

	CompletableFuture<SendResult> append(OutboundMessage message) {
		byte[] key = StreamEntryLayout.bytes(this.keyPrefix + message.destination());
		CompletableFuture<SendResult> result = new CompletableFuture<>();
		try {
			Map<byte[], byte[]> fields = StreamEntryLayout.fields(message);
			RedisClusterAsyncCommands<byte[], byte[]> commands = asyncCommands();
			if (commands == null) {
				RecordId id = this.template
					.execute((RedisCallback<RecordId>) (connection) -> connection.streamCommands()
						.xAdd(StreamRecords.rawBytes(fields).withStreamKey(key), this.options));
				complete(result, message, (id != null) ? id.getValue() : null, null);
				return result;
			}
			this.unanswered.add(result);
			result.whenComplete((sent, ex) -> this.unanswered.remove(result));
			((this.args != null) ? commands.xadd(key, this.args, fields) : commands.xadd(key, fields))
				.whenComplete((id, ex) -> complete(result, message, id, ex));
		}
		catch (RuntimeException ex) {
			complete(result, message, null, ex);
		}
		return result;
	}

	/**
	 * Lettuce's asynchronous commands, for commands sent without waiting for their reply
	 * (XADD here, XACK of the subscriptions), opening or replacing their connection when
	 * needed.
	 * @return the commands, or {@code null} when the factory is not Lettuce's
	 * @throws org.springframework.dao.DataAccessException when no connection can be had
	 * @throws IllegalStateException when closed
	 */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> asyncCommands() {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.asyncCommands;
		if (!(this.connectionFactory instanceof LettuceConnectionFactory) || (commands != null && isOpen(commands))) {
			return commands;
		}
		return reconnect(commands);
	}

	@SuppressWarnings("unchecked")
	private synchronized RedisClusterAsyncCommands<byte[], byte[]> reconnect(
			@Nullable RedisClusterAsyncCommands<byte[], byte[]> stale) {
		RedisClusterAsyncCommands<byte[], byte[]> current = this.asyncCommands;
		if (this.closed) {
			throw new IllegalStateException("Connection for asynchronous commands closed");
		}
		if (current != null && current != stale) {
			return current;
		}
		RedisConnection previous = this.connection;
		this.connection = this.connectionFactory.getConnection();
		current = (RedisClusterAsyncCommands<byte[], byte[]>) this.connection.getNativeConnection();
		this.asyncCommands = current;
		RedisConnectionUtils.releaseConnection(previous, this.connectionFactory);
		return current;
	}

	private static boolean isOpen(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		if (commands instanceof RedisAsyncCommands<byte[], byte[]> standalone) {
			return standalone.getStatefulConnection().isOpen();
		}
		return !(commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster)
				|| cluster.getStatefulConnection().isOpen();
	}

	private static void complete(CompletableFuture<SendResult> result, OutboundMessage message, @Nullable String id,
			@Nullable Throwable ex) {
		if (ex != null) {
			result.completeExceptionally(new PublishException("XADD of message '" + message.id() + "' to '"
					+ message.destination() + "' failed: " + ex.getMessage(), ex));
		}
		else if (id == null) {
			result.completeExceptionally(new PublishException("Redis returned no entry id for message '" + message.id()
					+ "' to '" + message.destination() + "'"));
		}
		else {
			result.complete(new SendResult(id));
		}
	}

	/**
	 * Wait for the sends still waiting for Redis' reply.
	 * @param timeout the longest wait
	 * @return whether all completed in time
	 */
	boolean flush(Duration timeout) {
		try {
			CompletableFuture.allOf(this.unanswered.toArray(CompletableFuture[]::new))
				.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Give the connection back to the factory (a shared one stays open for the factory's
	 * other users). Asynchronous commands fail from then on.
	 */
	synchronized void close() {
		this.closed = true;
		this.asyncCommands = null;
		RedisConnectionUtils.releaseConnection(this.connection, this.connectionFactory);
		this.connection = null;
	}

}
