package dev.eventbus.autoconfigure.sqs;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusPropertiesValidator;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.sqs.SqsAdapterSettings;
import dev.eventbus.sqs.SqsEventBusAdapter;
import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link SqsEventBusAdapter} for
 * {@code eventbus.adapter=sqs}, on the {@link SqsAsyncClient} that Spring Cloud AWS builds from
 * {@code spring.cloud.aws.*} (region, credentials, {@code spring.cloud.aws.sqs.endpoint},
 * client customizers); {@code eventbus.sqs.*} adds queue creation, FIFO, visibility, polling and
 * dead-letter settings. Backs off when the application defines an {@link EventBusAdapter}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class, after = SqsAutoConfiguration.class)
@ConditionalOnClass({ SqsEventBusAdapter.class, SqsTemplate.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = SqsEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class SqsEventBusAdapterAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	SqsEventBusAdapter sqsEventBusAdapter(EventBusProperties properties, ObjectProvider<SqsAsyncClient> sqsAsyncClient) {
		SqsAsyncClient client = sqsAsyncClient.getIfAvailable();
		if (client == null) {
			throw new InvalidConfigurationPropertyValueException("eventbus.adapter", SqsEventBusAdapter.NAME,
					"the SQS adapter needs an SqsAsyncClient bean and there is none. Spring Cloud AWS builds one "
							+ "unless 'spring.cloud.aws.sqs.enabled' is false or its SqsAutoConfiguration is excluded: "
							+ "enable it, define an SqsAsyncClient bean, or choose another adapter");
		}
		return new SqsEventBusAdapter(client, settings(properties));
	}

	static SqsAdapterSettings settings(EventBusProperties properties) {
		EventBusProperties.Sqs sqs = properties.getSqs();
		EventBusPropertiesValidator.validateSqs(sqs);
		return new SqsAdapterSettings(sqs.isFifo(), sqs.isAutoCreateQueues(), sqs.getVisibilityTimeout(),
				sqs.getWaitTime(), sqs.getMaxInFlightMessages(), sqs.getSendLinger(), properties.getDeadLetterSuffix(),
				sqs.getDeadLetter().isRedrive(), sqs.getDeadLetter().getRedriveExtraReceives(),
				sqs.getGroupRefreshInterval(), sqs.getRequestTimeout());
	}

}
