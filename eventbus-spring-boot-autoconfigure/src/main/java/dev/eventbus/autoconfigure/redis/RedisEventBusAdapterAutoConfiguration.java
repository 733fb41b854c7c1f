package dev.eventbus.autoconfigure.redis;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusProperties.Redis;
import dev.eventbus.autoconfigure.EventBusPropertiesValidator;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisPubSubEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.spi.EventBusAdapter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the Redis adapter, for
 * {@code eventbus.adapter=redis}: Redis Streams by default, pub/sub with
 * {@code eventbus.redis.mode=pubsub}. Connects through the application's
 * {@link RedisConnectionFactory} (Spring Boot's, configured by
 * {@code spring.data.redis.*}); the adapter never closes it. Backs off when the
 * application defines its own {@link EventBusAdapter}. Invalid {@code eventbus.redis.*}
 * values fail start-up with an {@code InvalidConfigurationPropertyValueException}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class, after = DataRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnClass({ RedisEventBusAdapter.class, StringRedisTemplate.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = RedisEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class RedisEventBusAdapterAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	@ConditionalOnProperty(name = "eventbus.redis.mode", havingValue = "streams", matchIfMissing = true)
	RedisEventBusAdapter redisEventBusAdapter(EventBusProperties properties, RedisConnectionFactory connectionFactory) {
		return new RedisEventBusAdapter(connectionFactory, settings(properties.getRedis()));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	@ConditionalOnProperty(name = "eventbus.redis.mode", havingValue = "pubsub")
	RedisPubSubEventBusAdapter redisPubSubEventBusAdapter(EventBusProperties properties,
			RedisConnectionFactory connectionFactory) {
		return new RedisPubSubEventBusAdapter(connectionFactory, settings(properties.getRedis()));
	}

	static RedisStreamSettings settings(Redis redis) {
		EventBusPropertiesValidator.validateRedis(redis);
		String consumerName = redis.getConsumerName();
		Long maxLength = redis.getMaxLength();
		return new RedisStreamSettings(
				(consumerName != null) ? consumerName : RedisStreamSettings.defaultConsumerName(), redis.getKeyPrefix(),
				redis.getBatchSize(), redis.getPollTimeout(), redis.getClaimIdleTime(), redis.getClaimInterval(),
				maxLength, (redis.getNewGroupStart() == Redis.GroupStart.LATEST) ? RedisStreamSettings.GroupStart.LATEST
						: RedisStreamSettings.GroupStart.EARLIEST,
				redis.getHealthTimeout());
	}

}
