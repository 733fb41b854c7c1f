package dev.eventbus.autoconfigure.tracing;

import dev.eventbus.runtime.BatchTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * When the application traces with Micrometer Tracing, the span of each batch a batch
 * handler is invoked with links to the trace context of every event in it.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean({ Tracer.class, Propagator.class })
public final class EventBusTracingAutoConfiguration {

	/**
	 * Ahead of Spring Boot's receiver tracing handler (order 1000), which would otherwise
	 * take the batch observations and start their spans without links.
	 */
	static final int ORDER = 500;

	@Bean
	@ConditionalOnMissingBean
	@Order(ORDER)
	BatchTracingObservationHandler eventBusBatchTracingObservationHandler(Tracer tracer, Propagator propagator) {
		return new BatchTracingObservationHandler(tracer, propagator);
	}

}
