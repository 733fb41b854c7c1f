package dev.eventbus.sample;

import dev.eventbus.redis.RedisServerProcess;
import dev.eventbus.test.BrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The order flow on the {@code redis} profile, against a {@code redis-server} the test
 * starts on a free port (never the machine's Redis). A short poll timeout makes retries
 * and shutdown quick.
 */
@ActiveProfiles("redis")
@TestPropertySource(properties = "eventbus.redis.poll-timeout=200ms")
@DirtiesContext
class OrderFlowRedisIntegrationTests extends AbstractOrderFlowIntegrationTests {

	@RegisterExtension
	static final BrokerExtension<RedisServerProcess> redis = new BrokerExtension<>(RedisServerProcess::start);

	OrderFlowRedisIntegrationTests() {
		super("redis");
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", () -> redis.get().port());
	}

}
