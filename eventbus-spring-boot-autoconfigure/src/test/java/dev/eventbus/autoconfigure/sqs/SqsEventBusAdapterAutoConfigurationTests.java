package dev.eventbus.autoconfigure.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.sqs.SqsAdapterSettings;
import dev.eventbus.sqs.SqsEventBusAdapter;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

class SqsEventBusAdapterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AwsAutoConfiguration.class, CredentialsProviderAutoConfiguration.class,
				RegionProviderAutoConfiguration.class, SqsEventBusAdapterAutoConfiguration.class,
				EventBusAutoConfiguration.class))
		.withPropertyValues("spring.cloud.aws.region.static=eu-west-1", "spring.cloud.aws.credentials.access-key=test",
				"spring.cloud.aws.credentials.secret-key=test", "spring.cloud.aws.sqs.endpoint=http://localhost:9324");

	@Test
	void createsSqsAdapterOnAClientBuiltFromSpringCloudAwsSettingsWhenSqsIsSelected() {
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs").run((context) -> {
			assertThat(context).hasSingleBean(SqsEventBusAdapter.class).doesNotHaveBean(InMemoryEventBusAdapter.class);
			SqsEventBusAdapter adapter = context.getBean(SqsEventBusAdapter.class);
			assertThat(context.getBean(EventBus.class).adapter()).isSameAs(adapter);
			assertThat(context.getBean(SqsAsyncClient.class).serviceClientConfiguration().region().id())
				.isEqualTo("eu-west-1");
			assertThat(adapter.capabilities().orderedPerKey()).isFalse();
			assertThat(adapter.capabilities().consumerGroups()).isTrue();
			SqsAdapterSettings settings = adapter.settings();
			assertThat(settings.fifo()).isFalse();
			assertThat(settings.autoCreateQueues()).isTrue();
			assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.maxInFlightMessages()).isEqualTo(20);
			assertThat(settings.deadLetterSuffix()).isEqualTo(".dlq");
			assertThat(settings.nativeRedrive()).isTrue();
		});
	}

	@Test
	void sqsAdapterWithSpringCloudAwsSqsDisabledFailsNamingWhatIsMissing() {
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs", "spring.cloud.aws.sqs.enabled=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("eventbus.adapter");
						assertThat(ex.getReason()).contains("SqsAsyncClient")
							.contains("'spring.cloud.aws.sqs.enabled' is false");
					});
			});
	}

	@Test
	void theClientIsSpringCloudAwsConfiguredWithEndpointAndCustomizers() {
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs")
			.withBean(SqsAsyncClientCustomizer.class,
					() -> (builder) -> builder.overrideConfiguration((config) -> config.putHeader("x-test", "yes")))
			.run((context) -> {
				assertThat(context).hasBean("eventBusSqsAsyncClient");
				SqsAsyncClient client = context.getBean(SqsAsyncClient.class);
				assertThat(client.serviceClientConfiguration().endpointOverride())
					.hasValue(URI.create("http://localhost:9324"));
				assertThat(client.serviceClientConfiguration().overrideConfiguration().headers())
					.containsEntry("x-test", List.of("yes"));
			});
	}

	@Test
	void usesTheSqsAsyncClientOfTheApplication() {
		SqsAsyncClient own = SqsAsyncClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(AnonymousCredentialsProvider.create())
			.build();
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs")
			.withBean("applicationSqsClient", SqsAsyncClient.class, () -> own)
			.run((context) -> {
				assertThat(context).doesNotHaveBean("eventBusSqsAsyncClient");
				assertThat(context.getBean(SqsAsyncClient.class)).isSameAs(own);
				assertThat(context).hasSingleBean(SqsEventBusAdapter.class);
			});
		own.close();
	}

	@Test
	void anApplicationOnAnotherAdapterNeedsNoAwsSettings() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AwsAutoConfiguration.class,
					CredentialsProviderAutoConfiguration.class, RegionProviderAutoConfiguration.class,
					SqsEventBusAdapterAutoConfiguration.class, EventBusAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SqsAsyncClient.class)
				.hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void busPropertiesSetQueuesPollingAndDeadLetters() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=sqs", "eventbus.sqs.fifo=true",
					"eventbus.sqs.auto-create-queues=false", "eventbus.sqs.visibility-timeout=45s",
					"eventbus.sqs.wait-time=2s", "eventbus.sqs.max-in-flight-messages=50",
					"eventbus.sqs.send-linger=20ms", "eventbus.sqs.group-refresh-interval=1m",
					"eventbus.sqs.request-timeout=3s", "eventbus.sqs.dead-letter.redrive=false",
					"eventbus.sqs.dead-letter.redrive-extra-receives=4", "eventbus.dead-letter-suffix=-dead")
			.run((context) -> {
				SqsEventBusAdapter adapter = context.getBean(SqsEventBusAdapter.class);
				assertThat(adapter.capabilities().orderedPerKey()).isTrue();
				SqsAdapterSettings settings = adapter.settings();
				assertThat(settings.fifo()).isTrue();
				assertThat(settings.autoCreateQueues()).isFalse();
				assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.maxInFlightMessages()).isEqualTo(50);
				assertThat(settings.sendLinger()).isEqualTo(Duration.ofMillis(20));
				assertThat(settings.groupRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.nativeRedrive()).isFalse();
				assertThat(settings.redriveExtraReceives()).isEqualTo(4);
				assertThat(settings.deadLetterSuffix()).isEqualTo("-dead");
			});
	}

	@Test
	void backsOffToAnAdapterOfTheApplication() {
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs")
			.withBean("customAdapter", EventBusAdapter.class, InMemoryEventBusAdapter::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SqsEventBusAdapter.class);
				assertThat(context.getBean(EventBus.class).adapter()).isSameAs(context.getBean("customAdapter"));
			});
	}

	@Test
	void isNotCreatedForAnotherAdapter() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SqsEventBusAdapter.class)
			.hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void isNotCreatedWithoutTheSqsClient() {
		this.contextRunner.withPropertyValues("eventbus.adapter=memory")
			.withClassLoader(new FilteredClassLoader(SqsAsyncClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SqsEventBusAdapter.class)
				.hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void invalidWaitTimeFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventbus.adapter=sqs", "eventbus.sqs.wait-time=30s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("eventbus.sqs.wait-time"));
	}

}
