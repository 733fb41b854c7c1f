package dev.eventbus.autoconfigure.kafka;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusPropertiesValidator;
import dev.eventbus.kafka.KafkaAdapterSettings;
import dev.eventbus.kafka.KafkaEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link KafkaEventBusAdapter} for
 * {@code eventbus.adapter=kafka}. The client configurations are those of the producer factory,
 * consumer factory and {@link KafkaAdmin} that Spring Boot builds from {@code spring.kafka.*} and
 * its connection details (bootstrap servers, SSL bundles, SASL and client properties, customizers),
 * so an application that already uses spring-kafka configures nothing twice; {@code eventbus.kafka.*}
 * adds topic creation and timeouts. Backs off when the application defines an {@link EventBusAdapter}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class, after = KafkaAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnClass({ KafkaEventBusAdapter.class, KafkaTemplate.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = KafkaEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class KafkaEventBusAdapterAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	KafkaEventBusAdapter kafkaEventBusAdapter(EventBusProperties properties, ProducerFactory<?, ?> producerFactory,
			ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin) {
		EventBusProperties.Kafka kafka = properties.getKafka();
		EventBusPropertiesValidator.validateKafka(kafka);
		return new KafkaEventBusAdapter(new KafkaAdapterSettings(producerFactory.getConfigurationProperties(),
				consumerFactory.getConfigurationProperties(), kafkaAdmin.getConfigurationProperties(),
				kafka.isCreateTopics(), kafka.getPartitions(), kafka.getReplicationFactor(), kafka.getPollTimeout(),
				kafka.getCloseTimeout(), kafka.getOperationTimeout(), kafka.getHealthTimeout(),
				kafka.getDeadLetterMarkerTopic()));
	}

}
