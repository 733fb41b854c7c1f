package dev.eventbus.benchmarks;

import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the Spring Boot application of a Spring peer: its {@code @Configuration} (which
 * imports the Boot auto-configurations the peer needs, as an application with the
 * matching starter gets them), web off, no banner, the given properties, and the
 * benchmark's objects its beans use (the {@link Recorder} for its listener). The
 * properties come first, before the defaults that other libraries of the benchmarks'
 * class path add (Spring Cloud Stream's Kafka binder sets byte-array serializers for
 * every application, for one), so each peer runs as an application with only its own
 * starter would.
 */
final class SpringPeer {

	private SpringPeer() {
	}

	/**
	 * Run a peer's application.
	 * @param configuration its configuration class
	 * @param properties its {@code application.properties}
	 * @param beans objects of the benchmark its beans use, such as the {@link Recorder}
	 * @return the running context; the caller closes it
	 */
	static ConfigurableApplicationContext start(Class<?> configuration, Map<String, Object> properties,
			Object... beans) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.initializers((context) -> {
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("peer", properties));
				for (Object bean : beans) {
					context.getBeanFactory().registerSingleton(bean.getClass().getName(), bean);
				}
			})
			.run();
	}

	/**
	 * Kafka client settings as the properties of a Boot application or a binder.
	 * @param prefix the prefix of the client's pass-through properties, such as
	 * {@code spring.kafka.producer.properties.}
	 * @param configs the client's settings
	 * @param into the properties to add them to
	 */
	static void passThrough(String prefix, Map<String, Object> configs, Map<String, Object> into) {
		configs.forEach((key, value) -> into.put(prefix + key, String.valueOf(value)));
	}

}
