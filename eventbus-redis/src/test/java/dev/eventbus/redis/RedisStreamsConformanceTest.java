package dev.eventbus.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Runs the conformance suite on the Redis Streams adapter against a {@code redis-server}
 * with an append-only file, so that the broker-restart case stops and starts the process
 * on the same port without losing data. Each adapter the suite creates is an application
 * instance with its own consumer name; instances share one Lettuce connection factory, as
 * the beans of one application would. A crash halts the instance: nothing is drained or
 * handed back, so the survivor gets the entry by claiming it after the claim idle time.
 * What the broker still holds for a group is its pending entries plus those it has not
 * read yet.
 */
class RedisStreamsConformanceTest extends AdapterConformanceSuite {

	static final Duration CLAIM_IDLE_TIME = Duration.ofSeconds(2);

	private static RedisServerProcess server;

	private static LettuceConnectionFactory connectionFactory;

	private static final AtomicInteger instances = new AtomicInteger();

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.persistent();
		connectionFactory = server.connectionFactory(null, Duration.ofSeconds(5));
	}

	@AfterAll
	static void stopServer() {
		connectionFactory.destroy();
		server.close();
	}

	@Override
	protected EventBusAdapter createAdapter() {
		return new RedisEventBusAdapter(connectionFactory, settings("instance-" + instances.incrementAndGet()));
	}

	static RedisStreamSettings settings(String consumerName) {
		return RedisStreamSettings.of(consumerName)
			.withPollTimeout(Duration.ofMillis(200))
			.withClaim(CLAIM_IDLE_TIME, Duration.ofMillis(250));
	}

	@Override
	protected ConformanceFeatures features() {
		return super.features().withBrokerRestart(true);
	}

	@Override
	protected void restartBroker() {
		server.restart();
	}

	@Override
	protected void crash(EventBusAdapter instance, Subscription subscription) {
		((RedisEventBusAdapter) instance).halt();
	}

	/**
	 * The group's pending entries (XPENDING count, as XINFO GROUPS reports it) plus the
	 * entries it has not read yet: its {@code lag} on Redis 7, else the entries after its
	 * last delivered id.
	 */
	@Override
	protected long messagesLeftAtBroker(String destination, String group) {
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		for (XInfoGroup info : redis.opsForStream().groups(destination)) {
			if (info.groupName().equals(group)) {
				Object lag = info.getRaw().get("lag");
				long unread = (lag instanceof Number number) ? number.longValue()
						: redis.opsForStream()
							.range(destination, Range.rightUnbounded(Bound.exclusive(info.lastDeliveredId())))
							.size();
				return info.pendingCount() + unread;
			}
		}
		throw new IllegalStateException("Stream '" + destination + "' has no group '" + group + "'");
	}

	@Override
	protected Duration redeliveryTimeout() {
		return CLAIM_IDLE_TIME.plusSeconds(10);
	}

	@Override
	protected Duration receiveTimeout() {
		return Duration.ofSeconds(30);
	}

}
