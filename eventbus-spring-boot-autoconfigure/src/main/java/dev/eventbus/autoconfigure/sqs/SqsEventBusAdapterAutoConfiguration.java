package dev.eventbus.autoconfigure.sqs;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusPropertiesValidator;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.sqs.SqsAdapterSettings;
import dev.eventbus.sqs.SqsEventBusAdapter;
import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.AwsClientProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link SqsEventBusAdapter}
 * for {@code eventbus.adapter=sqs}, on the application's {@link SqsAsyncClient}: the one
 * Spring Cloud AWS's SQS integration builds, when the application has it, else one built
 * here the same way, with Spring Cloud AWS's {@link AwsClientBuilderConfigurer} from
 * {@code spring.cloud.aws.*} (region, credentials, {@code spring.cloud.aws.sqs.endpoint},
 * client customizers). Nothing is built for any other adapter, so an application that
 * does not use SQS needs no AWS settings. {@code eventbus.sqs.*} adds queue creation,
 * FIFO, visibility, polling and dead-letter settings. Backs off when the application
 * defines an {@link EventBusAdapter}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class,
		afterName = { "io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration",
				"io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnClass({ SqsEventBusAdapter.class, SqsAsyncClient.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = SqsEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class SqsEventBusAdapterAutoConfiguration {

	private static final String SQS_PROPERTIES = "spring.cloud.aws.sqs";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	SqsEventBusAdapter sqsEventBusAdapter(EventBusProperties properties,
			ObjectProvider<SqsAsyncClient> sqsAsyncClient) {
		SqsAsyncClient client = sqsAsyncClient.getIfAvailable();
		if (client == null) {
			throw new InvalidConfigurationPropertyValueException("eventbus.adapter", SqsEventBusAdapter.NAME,
					"the SQS adapter needs an SqsAsyncClient and there is none: Spring Cloud AWS builds one "
							+ "unless 'spring.cloud.aws.sqs.enabled' is false; add io.awspring.cloud:"
							+ "spring-cloud-aws-starter if it is missing, define an SqsAsyncClient bean, or choose "
							+ "another adapter");
		}
		return new SqsEventBusAdapter(client, settings(properties));
	}

	static SqsAdapterSettings settings(EventBusProperties properties) {
		EventBusProperties.Sqs sqs = properties.getSqs();
		EventBusPropertiesValidator.validateSqs(sqs);
		return new SqsAdapterSettings(sqs.isFifo(), sqs.isAutoCreateQueues(), sqs.getVisibilityTimeout(),
				sqs.getWaitTime(), sqs.getMaxInFlightMessages(), sqs.getSendLinger(), properties.getDeadLetterSuffix(),
				sqs.getDeadLetter().isRedrive(), sqs.getDeadLetter().getRedriveExtraReceives(),
				sqs.getGroupRefreshInterval(), sqs.getRequestTimeout(), sqs.getIngressQueues());
	}

	/**
	 * The client of the bus when Spring Cloud AWS's SQS integration is not on the class
	 * path: built by Spring Cloud AWS's configurer from the same
	 * {@code spring.cloud.aws.*} properties.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AwsClientBuilderConfigurer.class)
	@ConditionalOnBean(AwsClientBuilderConfigurer.class)
	@ConditionalOnBooleanProperty(name = "spring.cloud.aws.sqs.enabled", matchIfMissing = true)
	static class EventBusSqsClientConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean(SqsAsyncClient.class)
		SqsAsyncClient eventBusSqsAsyncClient(AwsClientBuilderConfigurer configurer, Environment environment,
				ObjectProvider<AwsConnectionDetails> connectionDetails,
				ObjectProvider<SqsAsyncClientCustomizer> customizers,
				ObjectProvider<AwsAsyncClientCustomizer> asyncCustomizers) {
			SqsClientProperties properties = Binder.get(environment)
				.bindOrCreate(SQS_PROPERTIES, SqsClientProperties.class);
			return configurer
				.configureAsyncClient(SqsAsyncClient.builder(), properties, connectionDetails.getIfAvailable(),
						customizers.orderedStream(), asyncCustomizers.orderedStream())
				.build();
		}

	}

	/**
	 * The client settings under {@code spring.cloud.aws.sqs} (endpoint, region, dual
	 * stack), read without Spring Cloud AWS's SQS integration, whose
	 * {@code SqsProperties} needs it.
	 */
	static class SqsClientProperties extends AwsClientProperties {

	}

}
