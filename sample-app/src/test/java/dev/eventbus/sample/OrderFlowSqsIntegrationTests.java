package dev.eventbus.sample;

import dev.eventbus.sqs.ElasticMq;
import dev.eventbus.test.BrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The order flow on the {@code sqs} profile, against ElasticMQ the test starts in its JVM
 * on a free port. Short long polls and visibility timeout keep redeliveries and shutdown
 * quick; a short group refresh lets publishers see every group queue soon.
 */
@ActiveProfiles("sqs")
@TestPropertySource(properties = { "eventbus.sqs.wait-time=1s", "eventbus.sqs.visibility-timeout=5s",
		"eventbus.sqs.group-refresh-interval=2s" })
@DirtiesContext
class OrderFlowSqsIntegrationTests extends AbstractOrderFlowIntegrationTests {

	@RegisterExtension
	static final BrokerExtension<ElasticMq> elasticMq = new BrokerExtension<>(ElasticMq::new);

	OrderFlowSqsIntegrationTests() {
		super("sqs");
	}

	@DynamicPropertySource
	static void sqsProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.aws.sqs.endpoint", () -> elasticMq.get().endpoint());
	}

}
