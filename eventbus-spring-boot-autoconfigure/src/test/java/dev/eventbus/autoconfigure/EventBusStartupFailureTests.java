package dev.eventbus.autoconfigure;

import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.autoconfigure.fixtures.FailureAnalyses;
import dev.eventbus.autoconfigure.fixtures.TwoPayloadHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusStartupFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class));

	@Test
	void unknownAdapterFailsWithTheValidAdapterNames() {
		this.contextRunner.withPropertyValues("eventbus.adapter=nats").run((context) -> {
			assertThat(cause(context)).isInstanceOfSatisfying(UnknownEventBusAdapterException.class, (ex) -> {
				assertThat(ex.getAdapter()).isEqualTo("nats");
				assertThat(ex.getValidAdapters()).containsExactly("memory", "kafka", "redis", "sqs", "rabbitmq");
			});
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'eventbus.adapter'").contains("'nats'");
			assertThat(analysis.getAction()).contains("memory, kafka, redis, sqs, rabbitmq");
		});
	}

	@Test
	void kafkaAdapterWithoutItsModuleFailsNamingTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.kafka", "dev.eventbus.kafka"))
			.withPropertyValues("eventbus.adapter=kafka")
			.run((context) -> {
				assertThat(cause(context)).isInstanceOfSatisfying(EventBusAdapterMissingException.class, (ex) -> {
					assertThat(ex.getAdapter()).isEqualTo("kafka");
					assertThat(ex.getMissingClasses()).containsExactly("dev.eventbus.kafka.KafkaEventBusAdapter",
							"org.springframework.kafka.core.KafkaTemplate");
				});
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'kafka'")
					.contains("dev.eventbus.kafka.KafkaEventBusAdapter");
				assertThat(analysis.getAction()).contains("dev.eventbus:eventbus-kafka")
					.contains("org.springframework.kafka:spring-kafka")
					.contains("eventbus-spring-boot-starter normally brings them");
			});
	}

	@Test
	void redisAndSqsAdaptersWithoutTheirModulesFailNamingTheirDependencies() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("dev.eventbus.redis"))
			.withPropertyValues("eventbus.adapter=redis")
			.run((context) -> assertThat(analyze(context).getAction()).contains("dev.eventbus:eventbus-redis"));
		this.contextRunner.withClassLoader(new FilteredClassLoader("dev.eventbus.sqs"))
			.withPropertyValues("eventbus.adapter=sqs")
			.run((context) -> assertThat(analyze(context).getAction()).contains("dev.eventbus:eventbus-sqs"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			eventbus.publish-timeout                    | -1s   | must be a positive duration
			eventbus.shutdown-timeout                   | 0s    | must be a positive duration
			eventbus.handler.retry.max-retries          | -1    | must be at least 0
			eventbus.handler.retry.multiplier           | 0.5   | must be at least 1.0
			eventbus.handler.retry.delay                | -5ms  | must be zero or a positive duration
			eventbus.handler.retry.max-delay            | 10ms  | must not be shorter than eventbus.handler.retry.delay
			eventbus.handler.concurrency                | 0     | must be at least 1
			eventbus.handler.group                      | ' '   | must not be empty
			eventbus.default-destination                | ' '   | must not be empty
			eventbus.dead-letter-suffix                 | ' '   | must not be empty
			eventbus.source                             | 'a b' | must be a URI reference
			eventbus.codec.plain.type-field             | ' '   | must not be empty
			eventbus.memory.queue-capacity              | 0     | must be at least 1
			eventbus.memory.history-size                | -1    | must be at least 0
			eventbus.memory.enqueue-timeout             | -1ms  | must be zero or a positive duration
			eventbus.handler.timeout                    | 0s    | must be a positive duration
			""")
	void invalidPropertyFailsNamingThePropertyAndTheValidValues(String property, String value, String reason) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(cause(context)).isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
					(ex) -> assertThat(ex.getName()).isEqualTo(property));
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason);
			assertThat(analysis.getAction()).contains("Review the value of the property");
		});
	}

	@Test
	void routeWithoutTypesOrDestinationFailsNamingTheRoute() {
		this.contextRunner
			.withPropertyValues("eventbus.routes[0].types=order.*", "eventbus.routes[0].destination=orders",
					"eventbus.routes[1].destination=payments")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("'eventbus.routes[1].types'")
				.contains("at least one event type pattern"));
		this.contextRunner.withPropertyValues("eventbus.routes[0].types=order.*")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("'eventbus.routes[0].destination'")
				.contains("must not be empty"));
	}

	@Test
	void invalidHandlerFailsNamingBeanAndMethod() {
		this.contextRunner.withBean("twoPayloads", TwoPayloadHandler.class).run((context) -> {
			assertThat(cause(context)).isInstanceOfSatisfying(InvalidEventHandlerException.class, (ex) -> {
				assertThat(ex.getBeanName()).isEqualTo("twoPayloads");
				assertThat(ex.getMethod()).isEqualTo("TwoPayloadHandler.on(OrderCreated, String)");
			});
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'TwoPayloadHandler.on(OrderCreated, String)'")
				.contains("bean 'twoPayloads'")
				.contains("second payload");
			assertThat(analysis.getAction()).contains("one payload parameter").contains("@EventHeader");
		});
	}

	@Test
	void invalidPropertyIsReportedWithWhereItWasSet() {
		this.contextRunner.withPropertyValues("eventbus.publish-timeout=-1s")
			.run((context) -> assertThat(FailureAnalyses
				.analyze(context.getStartupFailure(),
						new MockEnvironment().withProperty("eventbus.publish-timeout", "-1s"))
				.getDescription()).contains("Invalid value '-1s' for configuration property 'eventbus.publish-timeout'")
				.contains("must be a positive duration"));
	}

	private static Throwable cause(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure(), null);
		assertThat(analysis).as("failure analysis").isNotNull();
		return analysis;
	}

}
