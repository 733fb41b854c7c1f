package dev.eventbus.sample;

import dev.eventbus.rabbitmq.RabbitMqBroker;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The order flow on the {@code rabbitmq} profile, against a RabbitMQ node the test starts
 * on free ports (never the machine's broker), so that no queue of an earlier run is left.
 */
@ActiveProfiles("rabbitmq")
@DirtiesContext
class OrderFlowRabbitMqIntegrationTests extends AbstractOrderFlowIntegrationTests {

	OrderFlowRabbitMqIntegrationTests() {
		super("rabbitmq");
	}

	@DynamicPropertySource
	static void rabbitProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.addresses", () -> RabbitMqBroker.owned().address());
	}

}
