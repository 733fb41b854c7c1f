package dev.eventbus.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.sqs.SqsAdapterSettings;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.sqs.SqsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.operations.SqsTemplate;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code spring-cloud-aws} peer: a Spring Boot application with Spring Cloud AWS's
 * SQS auto-configuration (its own {@code SqsAsyncClient}, whose requests are counted),
 * sending each {@link Sample} with {@link SqsTemplate#sendAsync} (JSON; one
 * {@code SendMessage} per event: the template batches only what one call hands it), and
 * an {@code @SqsListener} with the bus's in-flight bound as its
 * {@code max-concurrent-messages}, up to 10 messages per poll, the bus's long-poll wait
 * and visibility, and the default acknowledgement ({@code ON_SUCCESS}, deletes batched by
 * 10 or every second).
 */
final class SpringSqsTarget implements Target {

	private static final String QUEUE = "bench-spring-sqs";

	private final ConfigurableApplicationContext context;

	private final SqsTemplate template;

	private final RequestCounter counter;

	SpringSqsTarget(String endpoint, RequestCounter counter, SqsAdapterSettings settings, Recorder recorder) {
		this.counter = counter;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.cloud.aws.sqs.endpoint", endpoint);
		properties.put("spring.cloud.aws.region.static", "us-east-1");
		properties.put("spring.cloud.aws.credentials.access-key", "test");
		properties.put("spring.cloud.aws.credentials.secret-key", "test");
		properties.put("spring.cloud.aws.sqs.listener.max-concurrent-messages",
				String.valueOf(settings.maxInFlightMessages()));
		properties.put("spring.cloud.aws.sqs.listener.max-messages-per-poll", "10");
		properties.put("spring.cloud.aws.sqs.listener.poll-timeout", settings.waitTime().toString());
		properties.put("bench.visibility-seconds", String.valueOf(settings.visibilityTimeout().toSeconds()));
		this.context = SpringPeer.start(Config.class, properties, recorder, counter);
		this.template = this.context.getBean(SqsTemplate.class);
	}

	@Override
	public String name() {
		return "spring-cloud-aws";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		return this.template.sendAsync(QUEUE, Payloads.sample(sequence, sentNanos));
	}

	@Override
	public long requests() {
		return this.counter.total();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, AwsAutoConfiguration.class,
			CredentialsProviderAutoConfiguration.class, RegionProviderAutoConfiguration.class,
			SqsAutoConfiguration.class })
	static class Config {

		@Bean
		SqsAsyncClientCustomizer requestCounting(RequestCounter counter) {
			return (builder) -> builder.overrideConfiguration(
					builder.overrideConfiguration().toBuilder().addExecutionInterceptor(counter).build());
		}

		@Bean
		Listener listener(Recorder recorder) {
			return new Listener(recorder);
		}

	}

	static class Listener {

		private final Recorder recorder;

		Listener(Recorder recorder) {
			this.recorder = recorder;
		}

		@SqsListener(id = "spring-sqs", value = QUEUE, messageVisibilitySeconds = "${bench.visibility-seconds}")
		public void on(Sample sample) {
			this.recorder.record(sample.sentNanos());
		}

	}

}
