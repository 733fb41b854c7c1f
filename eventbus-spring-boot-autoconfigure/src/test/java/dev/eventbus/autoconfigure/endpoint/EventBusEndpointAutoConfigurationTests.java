package dev.eventbus.autoconfigure.endpoint;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class EventBusEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EventBusAutoConfiguration.class, EventBusEndpointAutoConfiguration.class));

	@Test
	void createsTheEndpointWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventbus")
			.run((context) -> assertThat(context).hasSingleBean(EventBusEndpoint.class));
	}

	@Test
	void warnsWhenReplayAndPurgeAreOpenWithoutSpringSecurity(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=eventbus",
					"management.endpoint.eventbus.access=UNRESTRICTED")
			.run((context) -> assertThat(output).contains("The eventbus endpoint can replay and purge dead letters")
				.contains("Spring Security is not on the class path"));
	}

	@Test
	void doesNotWarnWhenTheEndpointIsReadOnly(CapturedOutput output) {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventbus")
			.run((context) -> assertThat(output).doesNotContain("The eventbus endpoint can replay"));
	}

	@Test
	void createsNoEndpointWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EventBusEndpoint.class));
	}

	@Test
	void createsNoEndpointWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=eventbus",
					"management.endpoint.eventbus.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(EventBusEndpoint.class));
	}

	@Test
	void createsNoEndpointWhenTheBusIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=eventbus", "eventbus.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventBusEndpoint.class));
	}

	@Test
	void createsNoEndpointWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventbus")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventBusEndpoint.class));
	}

	@Test
	void backsOffToUserDefinedEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventbus")
			.withBean("customEndpoint", EventBusEndpoint.class)
			.run((context) -> assertThat(context).hasSingleBean(EventBusEndpoint.class).hasBean("customEndpoint"));
	}

	@Test
	void replayAndPurgeNeedAccessToBeGrantedExplicitly() {
		assertThat(EventBusEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
	}

}
