package dev.eventbus.sample;

import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.kafka.EmbeddedKafka;
import dev.eventbus.test.BrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order flow on the {@code kafka} profile, against a KRaft broker the test starts in
 * its JVM on a free port. A short session, heartbeat and poll keep group joins and
 * shutdown quick. Also shows that the bus's clients are Spring Boot's: a producer factory
 * customizer and a producer listener of the application reach the bus's producer, and
 * Boot's Kafka client meters exist for the bus's producer and consumers.
 */
@ActiveProfiles("kafka")
@TestPropertySource(properties = { "eventbus.kafka.partitions=" + EmbeddedKafka.PARTITIONS,
		"spring.kafka.listener.poll-timeout=200ms", "spring.kafka.consumer.fetch-max-wait=100ms",
		"spring.kafka.consumer.properties.session.timeout.ms=6000",
		"spring.kafka.consumer.properties.heartbeat.interval.ms=500", "spring.kafka.producer.properties.linger.ms=1" })
@DirtiesContext
@Import(OrderFlowKafkaIntegrationTests.KafkaClientsOfTheApplication.class)
class OrderFlowKafkaIntegrationTests extends AbstractOrderFlowIntegrationTests {

	@Autowired
	private KafkaClientsOfTheApplication clients;

	@Autowired
	private MeterRegistry meterRegistry;

	@RegisterExtension
	static final BrokerExtension<EmbeddedKafka> kafka = new BrokerExtension<>(EmbeddedKafka::start);

	OrderFlowKafkaIntegrationTests() {
		super("kafka");
	}

	@Test
	void theBusSendsAndReceivesThroughSpringBootsKafkaClients() {
		placeOrderAndAwaitShipping();
		assertThat(this.clients.producersPostProcessed).as("producers seen by a producer factory customizer")
			.hasPositiveValue();
		assertThat(this.clients.recordsAcknowledged).as("records seen by the application's ProducerListener")
			.hasPositiveValue();
		assertThat(this.meterRegistry.find("kafka.producer.record.send.total").functionCounters())
			.as("Boot's kafka.producer meters of the bus's producer")
			.anySatisfy((counter) -> assertThat(counter.count()).isPositive());
		assertThat(this.meterRegistry.find("kafka.consumer.fetch.manager.records.consumed.total").functionCounters())
			.as("Boot's kafka.consumer meters of the bus's consumers")
			.anySatisfy((counter) -> assertThat(counter.count()).isPositive());
	}

	@DynamicPropertySource
	static void kafkaProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> kafka.get().bootstrapServers());
	}

	/**
	 * What an application that already uses spring-kafka would declare: a customizer of
	 * Boot's producer factory and a producer listener.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class KafkaClientsOfTheApplication {

		final AtomicInteger producersPostProcessed = new AtomicInteger();

		final AtomicInteger recordsAcknowledged = new AtomicInteger();

		@Bean
		DefaultKafkaProducerFactoryCustomizer countingProducerPostProcessor() {
			return (factory) -> factory.addPostProcessor((producer) -> {
				this.producersPostProcessed.incrementAndGet();
				return producer;
			});
		}

		@Bean
		ProducerListener<Object, Object> countingProducerListener() {
			return new ProducerListener<>() {

				@Override
				public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata metadata) {
					KafkaClientsOfTheApplication.this.recordsAcknowledged.incrementAndGet();
				}

			};
		}

	}

}
