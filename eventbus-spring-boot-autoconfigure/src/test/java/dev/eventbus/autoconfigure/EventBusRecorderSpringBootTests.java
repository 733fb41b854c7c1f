package dev.eventbus.autoconfigure;

import java.time.Duration;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.test.AutoConfigureEventBusRecorder;
import dev.eventbus.test.EventBusRecorder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AutoConfigureEventBusRecorder} in a Spring Boot test: the recorder reaches the
 * bus, knows its handlers, and is cleared between test methods.
 */
@SpringBootTest(properties = "spring.application.name=shop")
@AutoConfigureEventBusRecorder
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventBusRecorderSpringBootTests {

	@Autowired
	private EventBusRecorder recorder;

	@Autowired
	private EventPublisher publisher;

	@Test
	@Order(1)
	void recordsWhatTheHandlersOfTheApplicationHandled() {
		this.publisher.publish(new OrderCreated("o-1"));
		assertThat(this.recorder.handled(RecordingOrderHandler.HANDLER_ID).awaitCount(1, Duration.ofSeconds(10)))
			.singleElement()
			.satisfies((event) -> assertThat(event.type()).isEqualTo("order.created"));
	}

	@Test
	@Order(2)
	void startsEveryTestEmpty() {
		assertThat(this.recorder.published().ids()).isEmpty();
		assertThat(this.recorder.handled().ids()).isEmpty();
	}

	@Test
	void rejectsAHandlerIdNoHandlerHas() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.recorder.handled("NoSuchHandler.id"))
			.withMessageContaining("No handler has the id 'NoSuchHandler.id'")
			.withMessageContaining(RecordingOrderHandler.HANDLER_ID);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RecordingOrderHandler.class)
	static class TestApplication {

	}

}
