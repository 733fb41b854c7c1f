package dev.eventbus.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class UnusedRedisHealthEnvironmentPostProcessorTests {

	private final UnusedRedisHealthEnvironmentPostProcessor postProcessor = new UnusedRedisHealthEnvironmentPostProcessor();

	@Test
	void turnsRedisHealthOffWhenNeitherTheBusNorTheApplicationUsesRedis() {
		assertThat(redisHealth(new MockEnvironment())).isEqualTo("false");
		assertThat(redisHealth(new MockEnvironment().withProperty("eventbus.adapter", "kafka"))).isEqualTo("false");
	}

	@Test
	void keepsRedisHealthWhenTheBusRunsOnRedis() {
		assertThat(redisHealth(new MockEnvironment().withProperty("eventbus.adapter", "redis"))).isNull();
		assertThat(redisHealth(new MockEnvironment().withProperty("eventbus.adapter", " Redis "))).isNull();
	}

	@Test
	void keepsRedisHealthWhenTheApplicationConfiguresARedisConnection() {
		assertThat(redisHealth(new MockEnvironment().withProperty("spring.data.redis.host", "cache"))).isNull();
		assertThat(redisHealth(new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6379")))
			.isNull();
	}

	@Test
	void leavesAnExplicitSettingAlone() {
		assertThat(redisHealth(new MockEnvironment().withProperty("management.health.redis.enabled", "true")))
			.isEqualTo("true");
	}

	private String redisHealth(MockEnvironment environment) {
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty(UnusedRedisHealthEnvironmentPostProcessor.REDIS_HEALTH);
	}

}
