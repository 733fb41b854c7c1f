package dev.eventbus.autoconfigure.rabbitmq;

import java.time.Duration;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.rabbitmq.RabbitMqAdapterSettings;
import dev.eventbus.rabbitmq.RabbitMqEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the
 * {@link RabbitMqEventBusAdapter} for {@code eventbus.adapter=rabbitmq}, on Spring Boot's
 * RabbitMQ beans. The bus opens connections of its own, with publisher confirms and
 * returns, which the application's {@link ConnectionFactory} may not have: a
 * {@link CachingConnectionFactory} on the same RabbitMQ client factory as the
 * application's (so {@code spring.rabbitmq.*} host, credentials, virtual host, SSL and
 * {@code ConnectionFactoryCustomizer}s apply), set up by Spring Boot's
 * {@link CachingConnectionFactoryConfigurer} as Boot sets up its own (addresses, channel
 * cache, connection name), owned and destroyed by the adapter.
 * {@code eventbus.rabbitmq.*} adds ordering, confirm timeout, prefetch, delivery limit
 * and recovery. Backs off when the application defines an {@link EventBusAdapter}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class, after = RabbitAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnClass({ RabbitMqEventBusAdapter.class, RabbitTemplate.class, RabbitAutoConfiguration.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = RabbitMqEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class RabbitMqEventBusAdapterAutoConfiguration {

	private static final String PREFIX = "eventbus.rabbitmq.";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	RabbitMqEventBusAdapter rabbitMqEventBusAdapter(EventBusProperties properties,
			ObjectProvider<ConnectionFactory> connectionFactory,
			ObjectProvider<CachingConnectionFactoryConfigurer> connectionFactoryConfigurer) {
		RabbitMqAdapterSettings settings = settings(properties);
		ConnectionFactory application = connectionFactory.getIfUnique();
		CachingConnectionFactoryConfigurer configurer = connectionFactoryConfigurer.getIfAvailable();
		if (!(application instanceof AbstractConnectionFactory applicationFactory) || configurer == null) {
			throw new InvalidConfigurationPropertyValueException("eventbus.adapter", RabbitMqEventBusAdapter.NAME,
					"the RabbitMQ adapter connects like Spring Boot's RabbitMQ connection factory, and there is no "
							+ "single one: add org.springframework.boot:spring-boot-starter-amqp if it is missing, "
							+ "or define a RabbitMqEventBusAdapter bean on a connection factory of your own");
		}
		CachingConnectionFactory busFactory = new CachingConnectionFactory(
				applicationFactory.getRabbitConnectionFactory());
		configurer.configure(busFactory);
		return RabbitMqEventBusAdapter.create(busFactory, settings);
	}

	/**
	 * The adapter's settings from {@code eventbus.rabbitmq.*}, checked.
	 * @param properties the properties
	 * @return the settings
	 * @throws InvalidConfigurationPropertyValueException naming an invalid property
	 */
	static RabbitMqAdapterSettings settings(EventBusProperties properties) {
		EventBusProperties.Rabbitmq rabbitmq = properties.getRabbitmq();
		positive("confirm-timeout", rabbitmq.getConfirmTimeout());
		positive("recovery-interval", rabbitmq.getRecoveryInterval());
		positive("request-timeout", rabbitmq.getRequestTimeout());
		if (rabbitmq.getPrefetch() < 1 || rabbitmq.getPrefetch() > 65_535) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "prefetch", rabbitmq.getPrefetch(),
					"must be between 1 and 65535");
		}
		if (rabbitmq.getDeliveryLimit() < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "delivery-limit", rabbitmq.getDeliveryLimit(),
					"must be at least 1");
		}
		return new RabbitMqAdapterSettings(rabbitmq.isOrderedPerKey(), rabbitmq.getConfirmTimeout(),
				rabbitmq.getPrefetch(), rabbitmq.getDeliveryLimit(), properties.getDeadLetterSuffix(),
				rabbitmq.getRecoveryInterval(), rabbitmq.getRequestTimeout());
	}

	private static void positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + property, value,
					"must be positive, such as 10s");
		}
	}

}
