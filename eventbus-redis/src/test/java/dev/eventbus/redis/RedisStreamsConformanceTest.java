package dev.eventbus.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.test.conformance.AdapterConformanceSuite;
import dev.eventbus.test.conformance.ConformanceFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Runs the conformance suite on the Redis Streams adapter against a {@code redis-server}
 * with an append-only file, so that the broker-restart case stops and starts the process
 * on the same port without losing data. Each adapter the suite creates is an application
 * instance with its own consumer name; instances share one Lettuce connection factory, as
 * the beans of one application would. A crash halts the instance: nothing is drained or
 * handed back, so the survivor gets the entry by claiming it after the claim idle time.
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

	@Override
	protected Duration redeliveryTimeout() {
		return CLAIM_IDLE_TIME.plusSeconds(10);
	}

	@Override
	protected Duration receiveTimeout() {
		return Duration.ofSeconds(30);
	}

}
