package dev.eventbus.redis;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;

/**
 * Appends messages to streams with XADD (MAXLEN ~ when a maximum length is set). With a reactive
 * connection factory (Lettuce) sends are asynchronous and pipelined on the shared connection;
 * otherwise each send runs on the caller's thread. A send completes with the entry id once Redis
 * replied, or exceptionally, for instance after the connection's command timeout while Redis is
 * unreachable: never silently dropped. Thread safe.
 */
final class StreamAppender {

	private final StringRedisTemplate template;

	private final @Nullable ReactiveRedisTemplate<byte[], byte[]> reactive;

	private final String keyPrefix;

	private final XAddOptions options;

	private final Set<CompletableFuture<SendResult>> pending = ConcurrentHashMap.newKeySet();

	StreamAppender(RedisConnectionFactory connectionFactory, StringRedisTemplate template, RedisStreamSettings settings) {
		this.template = template;
		this.reactive = (connectionFactory instanceof ReactiveRedisConnectionFactory reactiveFactory)
				? new ReactiveRedisTemplate<>(reactiveFactory, RedisSerializationContext.byteArray()) : null;
		this.keyPrefix = settings.keyPrefix();
		Long maxLength = settings.maxLength();
		this.options = (maxLength != null) ? XAddOptions.maxlen(maxLength).approximateTrimming(true)
				: XAddOptions.none();
	}

	CompletableFuture<SendResult> append(OutboundMessage message) {
		ByteRecord record = StreamRecords.rawBytes(StreamEntryLayout.fields(message))
			.withStreamKey(StreamEntryLayout.bytes(this.keyPrefix + message.destination()));
		ReactiveRedisTemplate<byte[], byte[]> reactiveTemplate = this.reactive;
		if (reactiveTemplate == null) {
			try {
				RecordId id = this.template
					.execute((RedisCallback<RecordId>) (connection) -> connection.streamCommands().xAdd(record, this.options));
				return CompletableFuture.completedFuture(result(message, id));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(failure(message, ex));
			}
		}
		CompletableFuture<SendResult> future = reactiveTemplate.<byte[], byte[]>opsForStream()
			.add(record, this.options)
			.map((id) -> result(message, id))
			.switchIfEmpty(Mono.error(() -> new PublishException("Redis returned no entry id for message '"
					+ message.id() + "' to '" + message.destination() + "'")))
			.onErrorMap((ex) -> !(ex instanceof PublishException), (ex) -> failure(message, ex))
			.toFuture();
		this.pending.add(future);
		future.whenComplete((result, ex) -> this.pending.remove(future));
		return future;
	}

	private static SendResult result(OutboundMessage message, @Nullable RecordId id) {
		if (id == null) {
			throw new PublishException("Redis returned no entry id for message '" + message.id() + "' to '"
					+ message.destination() + "'");
		}
		return new SendResult(id.getValue());
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
		CompletableFuture<?>[] snapshot = this.pending.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(snapshot).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

}
