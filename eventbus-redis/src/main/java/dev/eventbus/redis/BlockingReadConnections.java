package dev.eventbus.redis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Connections for the blocking {@code XREADGROUP} of stream subscriptions. Each subscription holds
 * one for as long as it runs. With a pooled Lettuce factory (Spring Boot pools as soon as
 * commons-pool2 is on the class path) those would be borrowed from the application's pool and,
 * with more subscriptions than pooled connections, the extra subscriptions would wait forever. So
 * for a pooled factory the readers get a factory of their own: same server, credentials, SSL,
 * timeouts and client resources, without the pool. Other factories are used as they are.
 */
final class BlockingReadConnections implements AutoCloseable {

	private static final String POOLING_CONFIGURATION = "org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration";

	private final RedisConnectionFactory factory;

	private final boolean owned;

	private BlockingReadConnections(RedisConnectionFactory factory, boolean owned) {
		this.factory = factory;
		this.owned = owned;
	}

	static BlockingReadConnections of(RedisConnectionFactory factory) {
		if (factory instanceof LettuceConnectionFactory lettuce && isPooled(lettuce)) {
			LettuceConnectionFactory unpooled = unpooled(lettuce);
			unpooled.afterPropertiesSet();
			unpooled.start();
			return new BlockingReadConnections(unpooled, true);
		}
		return new BlockingReadConnections(factory, false);
	}

	private static boolean isPooled(LettuceConnectionFactory factory) {
		ClassLoader classLoader = BlockingReadConnections.class.getClassLoader();
		return ClassUtils.isPresent(POOLING_CONFIGURATION, classLoader)
				&& ClassUtils.resolveClassName(POOLING_CONFIGURATION, classLoader)
					.isInstance(factory.getClientConfiguration());
	}

	private static LettuceConnectionFactory unpooled(LettuceConnectionFactory pooled) {
		LettuceClientConfiguration configuration = pooled.getClientConfiguration();
		LettuceClientConfiguration withoutPool = (LettuceClientConfiguration) Proxy.newProxyInstance(
				BlockingReadConnections.class.getClassLoader(), new Class<?>[] { LettuceClientConfiguration.class },
				(proxy, method, args) -> {
					try {
						return method.invoke(configuration, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getTargetException();
					}
				});
		if (pooled.isClusterAware()) {
			return new LettuceConnectionFactory(pooled.getClusterConfiguration(), withoutPool);
		}
		if (pooled.isRedisSentinelAware()) {
			return new LettuceConnectionFactory(pooled.getSentinelConfiguration(), withoutPool);
		}
		return new LettuceConnectionFactory(pooled.getStandaloneConfiguration(), withoutPool);
	}

	RedisConnectionFactory factory() {
		return this.factory;
	}

	@Override
	public void close() {
		if (this.owned && this.factory instanceof LettuceConnectionFactory lettuce) {
			lettuce.destroy();
		}
	}

}
