package dev.eventbus.sample;

import dev.eventbus.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The order flow on the {@code kafka} profile, against a KRaft broker the test starts in its JVM
 * on a free port. A short session, heartbeat and poll keep group joins and shutdown quick.
 */
@ActiveProfiles("kafka")
@TestPropertySource(properties = { "eventbus.kafka.partitions=" + EmbeddedKafka.PARTITIONS,
		"eventbus.kafka.poll-timeout=200ms", "spring.kafka.consumer.fetch-max-wait=100ms",
		"spring.kafka.consumer.properties.session.timeout.ms=6000",
		"spring.kafka.consumer.properties.heartbeat.interval.ms=500", "spring.kafka.producer.properties.linger.ms=1" })
@DirtiesContext
class OrderFlowKafkaIntegrationTests extends AbstractOrderFlowIntegrationTests {

	@RegisterExtension
	static final BrokerExtension<EmbeddedKafka> kafka = new BrokerExtension<>(EmbeddedKafka::start);

	OrderFlowKafkaIntegrationTests() {
		super("kafka");
	}

	@DynamicPropertySource
	static void kafkaProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> kafka.get().bootstrapServers());
	}

}
