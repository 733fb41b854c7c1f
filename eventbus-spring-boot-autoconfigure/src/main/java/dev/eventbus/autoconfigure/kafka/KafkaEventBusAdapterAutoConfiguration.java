package dev.eventbus.autoconfigure.kafka;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.EventBusProperties;
import dev.eventbus.autoconfigure.EventBusPropertiesValidator;
import dev.eventbus.kafka.KafkaAdapterSettings;
import dev.eventbus.kafka.KafkaEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link KafkaEventBusAdapter}
 * for {@code eventbus.adapter=kafka}, on Spring Boot's Kafka beans:
 * <ul>
 * <li>the bus sends through its own {@link KafkaTemplate} on a copy of the application's
 * {@link ProducerFactory} with {@code acks=all}, idempotence and its serializers
 * ({@code copyWithConfigurationOverride}), so {@code spring.kafka.producer.*}, producer
 * factory customizers, post-processors and listeners (Boot's {@code kafka.producer.*}
 * client meters among them) apply; the application's {@link ProducerListener} is the
 * template's;</li>
 * <li>its listener containers come from the application's
 * {@code kafkaListenerContainerFactory}, so {@code spring.kafka.listener.*},
 * {@code spring.kafka.consumer.*}, container customizers and consumer factory listeners
 * apply, except what the bus depends on (manual acks, deserializers, its own group ids
 * and observations);</li>
 * <li>the admin client uses the configuration of the application's
 * {@link KafkaAdmin}.</li>
 * </ul>
 * {@code spring.kafka.consumer.group-id} never names the bus's consumer groups: each
 * subscription's group comes from {@code eventbus.handler.group} (or the application
 * name) and the handler; the property keeps its meaning for the application's own
 * {@code @KafkaListener}s. {@code eventbus.kafka.*} adds topic creation and timeouts.
 * Backs off when the application defines an {@link EventBusAdapter}.
 */
@AutoConfiguration(before = EventBusAutoConfiguration.class, after = KafkaAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@ConditionalOnClass({ KafkaEventBusAdapter.class, KafkaTemplate.class, KafkaAutoConfiguration.class })
@ConditionalOnProperty(name = "eventbus.adapter", havingValue = KafkaEventBusAdapter.NAME)
@EnableConfigurationProperties(EventBusProperties.class)
public final class KafkaEventBusAdapterAutoConfiguration {

	private static final Log logger = LogFactory.getLog(KafkaEventBusAdapterAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(EventBusAdapter.class)
	KafkaEventBusAdapter kafkaEventBusAdapter(EventBusProperties properties, ProducerFactory<?, ?> producerFactory,
			ConcurrentKafkaListenerContainerFactory<?, ?> kafkaListenerContainerFactory, KafkaAdmin kafkaAdmin,
			ObjectProvider<ProducerListener<Object, Object>> producerListener) {
		EventBusProperties.Kafka kafka = properties.getKafka();
		EventBusPropertiesValidator.validateKafka(kafka);
		KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(busProducerFactory(producerFactory));
		producerListener.ifAvailable((listener) -> template.setProducerListener(cast(listener)));
		Object groupId = kafkaListenerContainerFactory.getConsumerFactory()
			.getConfigurationProperties()
			.get(ConsumerConfig.GROUP_ID_CONFIG);
		if (groupId != null) {
			logger.info("spring.kafka.consumer.group-id '" + groupId + "' applies to the application's own "
					+ "listeners; the event bus names a consumer group per subscription (see its start-up log)");
		}
		return new KafkaEventBusAdapter(template, cast(kafkaListenerContainerFactory),
				kafkaAdmin.getConfigurationProperties(),
				new KafkaAdapterSettings(kafka.isCreateTopics(), kafka.getPartitions(), kafka.getReplicationFactor(),
						kafka.getCloseTimeout(), kafka.getOperationTimeout(), kafka.getHealthTimeout(),
						kafka.getDeadLetterMarkerTopic()));
	}

	/**
	 * A copy of the application's producer factory with the configuration the bus depends
	 * on; a copy keeps the factory's post-processors and listeners.
	 */
	static ProducerFactory<String, byte[]> busProducerFactory(ProducerFactory<?, ?> applicationFactory) {
		ProducerFactory<String, byte[]> copy = cast(
				applicationFactory.copyWithConfigurationOverride(KafkaEventBusAdapter.PRODUCER_OVERRIDES));
		if (copy instanceof DefaultKafkaProducerFactory<String, byte[]> factory) {
			factory.setKeySerializer(new StringSerializer());
			factory.setValueSerializer(new ByteArraySerializer());
		}
		return copy;
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

}
