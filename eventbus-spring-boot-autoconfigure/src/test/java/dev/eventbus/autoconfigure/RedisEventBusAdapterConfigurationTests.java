package dev.eventbus.autoconfigure;

import java.time.Duration;

import dev.eventbus.autoconfigure.fixtures.ControllableAdapter;
import dev.eventbus.autoconfigure.redis.RedisEventBusAdapterAutoConfiguration;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisPubSubEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.EventBusAdapter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of the Redis adapter. No Redis server is needed: connections open
 * lazily and these contexts register no handlers.
 */
class RedisEventBusAdapterConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				RedisEventBusAdapterAutoConfiguration.class, EventBusAutoConfiguration.class))
		.withPropertyValues("eventbus.adapter=redis", "spring.data.redis.port=1");

	@Test
	void redisAdapterUsesBootsConnectionFactoryWithDefaultSettings() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisEventBusAdapter.class)
				.doesNotHaveBean(InMemoryEventBusAdapter.class)
				.doesNotHaveBean(RedisPubSubEventBusAdapter.class);
			RedisEventBusAdapter adapter = context.getBean(RedisEventBusAdapter.class);
			assertThat(adapter.connectionFactory()).isSameAs(context.getBean(RedisConnectionFactory.class));
			assertThat(context.getBean(EventBus.class).adapter()).isSameAs(adapter);
			assertThat(adapter.settings()).isEqualTo(RedisStreamSettings.of(RedisStreamSettings.defaultConsumerName()));
		});
	}

	@Test
	void redisPropertiesConfigureTheAdapter() {
		this.contextRunner
			.withPropertyValues("eventbus.redis.consumer-name=node-7", "eventbus.redis.key-prefix=app:",
					"eventbus.redis.batch-size=20", "eventbus.redis.poll-timeout=250ms",
					"eventbus.redis.claim-idle-time=10s", "eventbus.redis.claim-interval=2s",
					"eventbus.redis.max-length=100000", "eventbus.redis.new-group-start=latest",
					"eventbus.redis.health-timeout=1s")
			.run((context) -> assertThat(context.getBean(RedisEventBusAdapter.class).settings())
				.isEqualTo(new RedisStreamSettings("node-7", "app:", 20, Duration.ofMillis(250), Duration.ofSeconds(10),
						Duration.ofSeconds(2), 100_000L, RedisStreamSettings.GroupStart.LATEST,
						Duration.ofSeconds(1))));
	}

	@Test
	void pubsubModeCreatesThePubSubAdapter() {
		this.contextRunner.withPropertyValues("eventbus.redis.mode=pubsub").run((context) -> {
			assertThat(context).hasSingleBean(RedisPubSubEventBusAdapter.class)
				.doesNotHaveBean(RedisEventBusAdapter.class);
			assertThat(context.getBean(EventBusAdapter.class).capabilities().persistent()).isFalse();
		});
	}

	@Test
	void backsOffToAnAdapterOfTheApplication() {
		this.contextRunner.withBean(EventBusAdapter.class, ControllableAdapter::new).run((context) -> {
			assertThat(context).doesNotHaveBean(RedisEventBusAdapter.class)
				.doesNotHaveBean(RedisPubSubEventBusAdapter.class);
			assertThat(context.getBean(EventBus.class).adapter()).isInstanceOf(ControllableAdapter.class);
		});
	}

	@Test
	void otherAdaptersDoNotCreateTheRedisAdapter() {
		this.contextRunner.withPropertyValues("eventbus.adapter=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryEventBusAdapter.class)
				.doesNotHaveBean(RedisEventBusAdapter.class));
	}

	@Test
	void redisSelectedWithoutSpringDataRedisFailsNamingTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(EventBusAdapterMissingException.class)
				.hasMessageContaining("org.springframework.data.redis.core.StringRedisTemplate");
		});
	}

	@Test
	void invalidRedisPropertyFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventbus.redis.batch-size=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("eventbus.redis.batch-size");
					assertThat(ex.getReason()).isEqualTo("must be at least 1");
				});
		});
	}

}
