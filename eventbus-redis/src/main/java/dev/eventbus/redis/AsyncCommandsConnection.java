package dev.eventbus.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Lettuce's asynchronous commands on the connection factory's shared native connection, for commands
 * sent without waiting for the reply (XADD, XACK): a {@code RedisFuture} per command, pipelined on
 * the one multiplexed connection, with the factory's server, credentials, SSL, sentinel or cluster
 * set-up and command timeout. A factory that does not share its native connection gives this object
 * a dedicated connection, held until {@link #close()}. A connection that was closed (the factory was
 * reset or restarted) is replaced on the next use; one that is reconnecting is kept, and Lettuce
 * queues commands on it until it is back or their timeout passed. Thread safe.
 */
final class AsyncCommandsConnection implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AsyncCommandsConnection.class);

	private final RedisConnectionFactory factory;

	private volatile @Nullable Held held;

	private volatile boolean closed;

	AsyncCommandsConnection(RedisConnectionFactory factory) {
		this.factory = factory;
	}

	/**
	 * The asynchronous commands, opening or replacing the connection when needed.
	 * @return the commands, or {@code null} when the factory is not Lettuce's
	 * @throws org.springframework.dao.DataAccessException when no connection can be had
	 * @throws IllegalStateException when closed
	 */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> commands() {
		Held current = this.held;
		if (current != null && current.isOpen()) {
			return current.commands;
		}
		return reopen(current);
	}

	private synchronized @Nullable RedisClusterAsyncCommands<byte[], byte[]> reopen(@Nullable Held stale) {
		if (this.closed) {
			throw new IllegalStateException("Connection for asynchronous commands closed");
		}
		Held current = this.held;
		if (current != null && current != stale) {
			return current.commands;
		}
		RedisConnection connection = this.factory.getConnection();
		Object nativeConnection = connection.getNativeConnection();
		if (!(nativeConnection instanceof RedisClusterAsyncCommands<?, ?>)) {
			connection.close();
			this.held = new Held(null, null);
			return null;
		}
		@SuppressWarnings("unchecked")
		RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
		this.held = new Held(connection, commands);
		if (stale != null) {
			stale.close();
		}
		return commands;
	}

	/**
	 * Give the connection back to the factory (a shared one stays open for the factory's other users).
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		Held current = this.held;
		this.held = null;
		if (current != null) {
			current.close();
		}
	}

	private record Held(@Nullable RedisConnection connection,
			@Nullable RedisClusterAsyncCommands<byte[], byte[]> commands) {

		boolean isOpen() {
			if (this.commands instanceof RedisAsyncCommands<byte[], byte[]> standalone) {
				return standalone.getStatefulConnection().isOpen();
			}
			if (this.commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
				return cluster.getStatefulConnection().isOpen();
			}
			return true;
		}

		void close() {
			if (this.connection != null) {
				try {
					this.connection.close();
				}
				catch (RuntimeException ex) {
					logger.debug("Failed to close the connection for asynchronous commands", ex);
				}
			}
		}

	}

}
