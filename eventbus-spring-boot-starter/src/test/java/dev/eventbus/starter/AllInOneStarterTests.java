package dev.eventbus.starter;

import java.util.List;

import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on the all-in-one starter and the in-memory adapter, with no AWS
 * settings and no Redis server, starts as a new user's would: no client of an unused
 * broker is built, nothing is warned about, and the other starters' settings and health
 * checks are as Spring Boot has them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AllInOneStarterTests {

	@Test
	void memoryApplicationWithoutAwsSettingsOrRedisStartsCleanlyAndLeavesOtherStartersAlone(CapturedOutput output) {
		SpringApplication application = new SpringApplication(MemoryApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--spring.application.name=starter-test",
				"--spring.data.redis.port=1", "--aws.region=")) {
			assertThat(context.getBean(EventBus.class).adapter()).isInstanceOf(InMemoryEventBusAdapter.class);
			assertThat(context.getBeanNamesForType(SqsAsyncClient.class)).as("SQS clients").isEmpty();
			assertThat(context.containsBean("redisHealthContributor")).as("Spring Boot's Redis health check").isTrue();
			assertThat(context.getEnvironment().containsProperty("management.health.redis.enabled")).isFalse();
			assertThat(context.getEnvironment().containsProperty("management.endpoint.health.group.readiness.include"))
				.isFalse();
			List<String> propertySources = context.getEnvironment()
				.getPropertySources()
				.stream()
				.map(PropertySource::getName)
				.toList();
			assertThat(propertySources).noneMatch((name) -> name.toLowerCase().contains("eventbus"));
		}
		assertThat(output).doesNotContain("Unable to load region").doesNotContain(" ERROR ").doesNotContain(" WARN ");
	}

	@SpringBootApplication
	static class MemoryApplication {

	}

}
