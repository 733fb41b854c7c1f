package dev.eventbus.autoconfigure.tracing;

import dev.eventbus.runtime.BatchTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EventBusTracingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventBusTracingAutoConfiguration.class));

	@Test
	void linksBatchSpansWhenTheApplicationTraces() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.run((context) -> assertThat(context).hasSingleBean(BatchTracingObservationHandler.class));
	}

	@Test
	void absentWithoutATracer() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BatchTracingObservationHandler.class));
	}

	@Test
	void absentWithoutMicrometerTracing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BatchTracingObservationHandler.class));
	}

}
