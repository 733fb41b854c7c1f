package dev.eventbus.autoconfigure.health;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.autoconfigure.fixtures.ControllableAdapter;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusReadinessEnvironmentPostProcessorTests {

	private final EventBusReadinessEnvironmentPostProcessor postProcessor = new EventBusReadinessEnvironmentPostProcessor();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer((context) -> this.postProcessor.postProcessEnvironment(context.getEnvironment(),
				new SpringApplication()))
		.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class,
				EventBusHealthContributorAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
				AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withBean(RecordingOrderHandler.class);

	@Test
	void readinessGroupIncludesTheEventBusByDefault() {
		this.contextRunner.run((context) -> {
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			HealthEndpointGroup readiness = context.getBean(HealthEndpointGroups.class).get("readiness");
			assertThat(readiness.isMember("eventbus")).isTrue();
			assertThat(readiness.isMember("readinessState")).isTrue();
			HealthDescriptor health = context.getBean(HealthEndpoint.class).healthForPath("readiness");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(((CompositeHealthDescriptor) health).getComponents()).containsOnlyKeys("eventbus",
					"readinessState");
		});
	}

	@Test
	void readinessIsDownWhileTheAdapterIsDown() {
		this.contextRunner.withBean(ControllableAdapter.class).run((context) -> {
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
			assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
			context.getBean(ControllableAdapter.class).setDown(true);
			assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
			assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void keepsReadinessMembersSetByTheApplication() {
		this.contextRunner.withPropertyValues(EventBusReadinessEnvironmentPostProcessor.INCLUDE + "=readinessState")
			.run((context) -> {
				assertThat(context.getEnvironment().getPropertySources()
					.contains(EventBusReadinessEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
				HealthEndpointGroup readiness = context.getBean(HealthEndpointGroups.class).get("readiness");
				assertThat(readiness.isMember("readinessState")).isTrue();
				assertThat(readiness.isMember("eventbus")).isFalse();
			});
	}

	@Test
	void keepsReadinessMembersSetAsAnIndexedList() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE + "[0]", "readinessState")
			.withProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE + "[1]", "db");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(EventBusReadinessEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	@Test
	void keepsReadinessExclusionsSetByTheApplication() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty(EventBusReadinessEnvironmentPostProcessor.EXCLUDE, "db");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE)).isFalse();
	}

	@Test
	void addsTheMembersAsThePropertySourceOfLowestPrecedence() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE))
			.isEqualTo("readinessState,eventbus");
		assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
			.isEqualTo(EventBusReadinessEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
	}

	@ParameterizedTest
	@ValueSource(strings = { "eventbus.enabled=false", "management.health.eventbus.enabled=false",
			"management.health.defaults.enabled=false", "management.endpoint.health.probes.enabled=false",
			"spring.autoconfigure.exclude=dev.eventbus.autoconfigure.EventBusAutoConfiguration" })
	void leavesTheReadinessGroupAloneWhenTheContributorWouldNotExist(String property) {
		String[] nameAndValue = property.split("=");
		MockEnvironment environment = new MockEnvironment().withProperty(nameAndValue[0], nameAndValue[1]);
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE)).isFalse();
	}

	@Test
	void leavesTheReadinessGroupAloneWithoutTheHealthClasses() {
		MockEnvironment environment = new MockEnvironment();
		SpringApplication application = new SpringApplication(
				new DefaultResourceLoader(new FilteredClassLoader(HealthIndicator.class)));
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.containsProperty(EventBusReadinessEnvironmentPostProcessor.INCLUDE)).isFalse();
	}

	@Test
	void startsWithTheHealthIndicatorDisabled() {
		this.contextRunner.withPropertyValues("management.health.eventbus.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("eventbus")).isFalse();
		});
	}

}
