package dev.eventbus.autoconfigure.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.autoconfigure.EventBusAdapterMissingException;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.kafka.KafkaAdapterSettings;
import dev.eventbus.kafka.KafkaEventBusAdapter;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.EventBusAdapter;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.core.ProducerPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEventBusAdapterAutoConfigurationTests {

	private static final String JAAS_CONFIG = "org.apache.kafka.common.security.scram.ScramLoginModule required "
			+ "username=\"bus\" password=\"secret\";";

	private static final ProducerPostProcessor<Object, Object> MARKER_POST_PROCESSOR = (producer) -> producer;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
				KafkaEventBusAdapterAutoConfiguration.class, EventBusAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=broker-1:9092,broker-2:9092");

	@Test
	void createsKafkaAdapterFromSpringKafkaSettingsWhenKafkaIsSelected() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka").run((context) -> {
			assertThat(context).hasSingleBean(KafkaEventBusAdapter.class)
				.doesNotHaveBean(InMemoryEventBusAdapter.class);
			KafkaEventBusAdapter adapter = context.getBean(KafkaEventBusAdapter.class);
			assertThat(context.getBean(EventBus.class).adapter()).isSameAs(adapter);
			Map<String, Object> producer = producerConfigs(adapter);
			assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
				.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
			assertThat(producer.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))
				.hasToString("[broker-1:9092, broker-2:9092]");
			assertThat(adapter.containerFactory()).as("Boot's listener container factory")
				.isSameAs(context.getBean("kafkaListenerContainerFactory"));
			assertThat(adapter.template()).as("the bus's own template, not the application's")
				.isNotSameAs(context.getBean(KafkaTemplate.class));
			KafkaAdapterSettings settings = adapter.settings();
			assertThat(settings.createTopics()).isTrue();
			assertThat(settings.partitions()).isEqualTo(6);
			assertThat(settings.replicationFactor()).isEqualTo((short) 1);
		});
	}

	@Test
	void securityClientIdAndClientOverridesFromSpringKafkaReachTheClients() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=kafka", "spring.kafka.client-id=orders-service",
					"spring.kafka.security.protocol=SASL_SSL", "spring.kafka.ssl.protocol=TLSv1.3",
					"spring.kafka.properties[sasl.mechanism]=SCRAM-SHA-512",
					"spring.kafka.properties[sasl.jaas.config]=" + JAAS_CONFIG,
					"spring.kafka.producer.batch-size=65536", "spring.kafka.producer.properties[linger.ms]=7",
					"spring.kafka.producer.acks=1", "spring.kafka.consumer.max-poll-records=50",
					"spring.kafka.consumer.auto-offset-reset=latest", "spring.kafka.consumer.enable-auto-commit=true")
			.run((context) -> {
				KafkaEventBusAdapter adapter = context.getBean(KafkaEventBusAdapter.class);
				Map<String, Object> producer = producerConfigs(adapter);
				Map<String, Object> consumer = adapter.containerFactory()
					.getConsumerFactory()
					.getConfigurationProperties();
				for (Map<String, Object> client : List.of(producer, consumer)) {
					assertThat(client).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
						.containsEntry(SslConfigs.SSL_PROTOCOL_CONFIG, "TLSv1.3")
						.containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
						.containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS_CONFIG);
				}
				assertThat(producer).containsEntry(CommonClientConfigs.CLIENT_ID_CONFIG, "orders-service")
					.containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 65536)
					.containsEntry(ProducerConfig.LINGER_MS_CONFIG, "7")
					.as("acks=all is forced for durable publishing")
					.containsEntry(ProducerConfig.ACKS_CONFIG, "all");
				assertThat(consumer).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50)
					.containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
				assertThat(adapter.toString()).doesNotContain("secret");
			});
	}

	@Test
	void busPropertiesSetTopicsAndTimeouts() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=kafka", "eventbus.kafka.partitions=12",
					"eventbus.kafka.replication-factor=3", "eventbus.kafka.create-topics=false",
					"eventbus.kafka.close-timeout=5s", "eventbus.kafka.operation-timeout=3s",
					"eventbus.kafka.health-timeout=1s", "eventbus.kafka.dead-letter-marker-topic=dlq-markers")
			.run((context) -> {
				KafkaAdapterSettings settings = context.getBean(KafkaEventBusAdapter.class).settings();
				assertThat(settings.partitions()).isEqualTo(12);
				assertThat(settings.replicationFactor()).isEqualTo((short) 3);
				assertThat(settings.createTopics()).isFalse();
				assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.operationTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.healthTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(settings.deadLetterMarkerTopic()).isEqualTo("dlq-markers");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void aProducerFactoryCustomizerOfTheApplicationReachesTheBusProducerFactory() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka")
			.withBean(DefaultKafkaProducerFactoryCustomizer.class,
					() -> (factory) -> ((DefaultKafkaProducerFactory<Object, Object>) factory)
						.addPostProcessor(MARKER_POST_PROCESSOR))
			.run((context) -> assertThat(context.getBean(KafkaEventBusAdapter.class).template().getProducerFactory())
				.extracting(ProducerFactory::getPostProcessors, InstanceOfAssertFactories.LIST)
				.contains(MARKER_POST_PROCESSOR));
	}

	private static Map<String, Object> producerConfigs(KafkaEventBusAdapter adapter) {
		return adapter.template().getProducerFactory().getConfigurationProperties();
	}

	@Test
	void backsOffToAnAdapterOfTheApplication() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka")
			.withBean("customAdapter", EventBusAdapter.class, InMemoryEventBusAdapter::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(KafkaEventBusAdapter.class);
				assertThat(context.getBean(EventBus.class).adapter()).isSameAs(context.getBean("customAdapter"));
			});
	}

	@Test
	void isNotCreatedForAnotherAdapter() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(KafkaEventBusAdapter.class)
			.hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void isNotCreatedWhenTheBusIsDisabled() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka", "eventbus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KafkaEventBusAdapter.class)
				.doesNotHaveBean(EventBus.class));
	}

	@Test
	void choosingKafkaWithoutSpringKafkaFailsStartupNamingTheDependency() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka")
			.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(EventBusAdapterMissingException.class)
				.hasMessageContaining("org.springframework.kafka:spring-kafka"));
	}

	@Test
	void invalidPartitionsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventbus.adapter=kafka", "eventbus.kafka.partitions=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("eventbus.kafka.partitions"));
	}

}
