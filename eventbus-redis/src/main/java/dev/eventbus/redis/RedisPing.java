package dev.eventbus.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.spi.AdapterHealth;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A PING bounded by a timeout, so that a health check returns quickly while Redis is unreachable
 * (the connection itself would wait for its command timeout). Stateless.
 */
final class RedisPing {

	private RedisPing() {
	}

	static AdapterHealth check(StringRedisTemplate template, Executor executor, Duration timeout,
			Map<String, Object> details) {
		Map<String, Object> all = new LinkedHashMap<>(details);
		long start = System.nanoTime();
		try {
			String reply = CompletableFuture
				.supplyAsync(() -> template.execute((RedisCallback<String>) (connection) -> connection.ping()), executor)
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			all.put("ping", String.valueOf(reply));
			all.put("pingMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			return AdapterHealth.up(all);
		}
		catch (ExecutionException ex) {
			return AdapterHealth.down("PING failed: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), all);
		}
		catch (TimeoutException ex) {
			return AdapterHealth.down("PING got no reply within " + timeout.toMillis() + "ms", all);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return AdapterHealth.down("interrupted while waiting for PING", all);
		}
		catch (RuntimeException ex) {
			return AdapterHealth.down("PING could not be sent: " + ex.getMessage(), all);
		}
	}

}
