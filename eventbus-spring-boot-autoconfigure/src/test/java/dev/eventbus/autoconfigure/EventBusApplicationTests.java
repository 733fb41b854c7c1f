package dev.eventbus.autoconfigure;

import java.time.Duration;

import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.endpoint.EventBusEndpoint;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.runtime.EventBusObservations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Starts a real application with every auto-configuration on the test classpath, so that
 * the imports file, {@code spring.factories} and the ordering of the auto-configurations
 * are exercised as an application sees them.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventBusApplicationTests {

	@Test
	void applicationDeliversEventsAndReportsThemThroughHealthReadinessMetricsAndEndpoint() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=shop", "management.endpoints.web.exposure.include=health,eventbus",
					"management.endpoint.health.show-components=always",
					"management.endpoint.health.group.readiness.include=readinessState,eventbus")
			.run()) {
			context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
			RecordingOrderHandler recorder = context.getBean(RecordingOrderHandler.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.received().size() == 1);
			assertThat(recorder.received().get(0).source()).isEqualTo("urn:eventbus:shop");

			HealthEndpoint health = context.getBean(HealthEndpoint.class);
			CompositeHealthDescriptor readiness = (CompositeHealthDescriptor) health.healthForPath("readiness");
			assertThat(readiness.getStatus()).isEqualTo(Status.UP);
			assertThat(readiness.getComponents()).containsOnlyKeys("readinessState", "eventbus");
			assertThat(health.healthForPath("eventbus").getStatus()).isEqualTo(Status.UP);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.find("eventbus.events.handled")
					.tags("handler", RecordingOrderHandler.HANDLER_ID, "group", "shop")
					.functionCounter() != null
						&& registry.get("eventbus.events.handled").functionCounter().count() == 1.0);
			assertThat(registry.get("eventbus.subscriptions.active").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get(EventBusObservations.PUBLISH).tag("type", "order.created").timer().count())
				.isEqualTo(1);

			assertThat(context.getBean(EventBusEndpoint.class).eventBus().handlers()).singleElement()
				.satisfies((handler) -> assertThat(handler.group()).isEqualTo("shop"));
		}
	}

	@Test
	void applicationWithoutANameIsWarnedThatItsHandlersShareTheDefaultGroupAndLogsItsSubscriptions(
			CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.run()) {
			assertThat(output).contains("Neither spring.application.name nor eventbus.handler.group is set")
				.contains("Event bus started on the memory adapter: 1 handler(s) in 1 subscription(s) "
						+ "[application@events]");
		}
	}

	@Test
	void misspelledEventBusKeysAreWarnedAboutByName(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=shop", "eventbus.adpater=kafka", "eventbus.handler.concurency=4")
			.run()) {
			assertThat(output)
				.contains("Unknown event bus properties, ignored: eventbus.adpater, " + "eventbus.handler.concurency");
		}
	}

	@Test
	void busLeftInMemoryWhileABrokerIsConfiguredIsWarnedAbout(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=shop", "spring.kafka.bootstrap-servers=kafka-1:9092")
			.run()) {
			assertThat(output).contains("eventbus.adapter is not set, so the event bus runs in memory")
				.contains("although spring.kafka.bootstrap-servers is set: set eventbus.adapter=kafka");
		}
	}

	@Test
	void aCorrectConfigurationIsNotWarnedAbout(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=shop", "eventbus.adapter=memory",
					"spring.kafka.bootstrap-servers=kafka-1:9092", "eventbus.handler.concurrency=4",
					"eventbus.routes[0].types=order.*", "eventbus.routes[0].destination=orders",
					"eventbus.web.ingestion.allowed-types=order.*")
			.run()) {
			assertThat(output).doesNotContain("Unknown event bus properties")
				.doesNotContain("eventbus.adapter is not set");
		}
	}

	@Test
	void applicationThatChoosesAMissingAdapterFailsWithAnAnalysisNamingTheDependency(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(TestApplication.class)
			.resourceLoader(new DefaultResourceLoader(
					new FilteredClassLoader("dev.eventbus.kafka", "org.springframework.kafka")))
			.web(WebApplicationType.NONE)
			.properties("eventbus.adapter=kafka");
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The property 'eventbus.adapter' is set to 'kafka'")
			.contains("Add the dependencies dev.eventbus:eventbus-kafka and org.springframework.kafka:spring-kafka");
	}

	@Test
	void sqsWithoutARegionFailsWithAnAnalysisNamingTheSpringProperty(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=shop", "eventbus.adapter=sqs",
					"spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test");
		System.setProperty("aws.disableEc2Metadata", "true");
		try {
			assertThatException().isThrownBy(application::run);
		}
		finally {
			System.clearProperty("aws.disableEc2Metadata");
		}
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The SQS client has no AWS region")
			.contains("Set 'spring.cloud.aws.region.static'");
	}

	@Test
	void applicationWithAnInvalidPropertyFailsWithAnAnalysisNamingPropertyAndOrigin(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties("eventbus.handler.retry.max-retries=-1");
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '-1' for configuration property 'eventbus.handler.retry.max-retries'")
			.contains("must be at least 0");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RecordingOrderHandler.class)
	static class TestApplication {

	}

}
