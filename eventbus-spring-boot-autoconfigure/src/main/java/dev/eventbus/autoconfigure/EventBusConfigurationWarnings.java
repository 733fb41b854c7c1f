package dev.eventbus.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.env.Environment;

/**
 * Mistakes in the configuration that start-up would otherwise pass over in silence, each
 * logged once as a warning naming the property: keys under {@code eventbus.*} that no
 * setting has (a misspelled {@code eventbus.adpater} leaves the bus in memory), and a bus
 * left in memory by default while the connection settings of a broker are present.
 */
final class EventBusConfigurationWarnings {

	private static final Log logger = LogFactory.getLog(EventBusConfigurationWarnings.class);

	/** A connection setting per broker, and the adapter it suggests. */
	private static final List<BrokerSetting> BROKER_SETTINGS = List.of(
			new BrokerSetting("spring.kafka.bootstrap-servers", "kafka"),
			new BrokerSetting("spring.data.redis.host", "redis"), new BrokerSetting("spring.data.redis.url", "redis"),
			new BrokerSetting("spring.rabbitmq.host", "rabbitmq"),
			new BrokerSetting("spring.rabbitmq.addresses", "rabbitmq"),
			new BrokerSetting("spring.cloud.aws.sqs.endpoint", "sqs"),
			new BrokerSetting("spring.cloud.aws.region.static", "sqs"));

	/** Keys of eventbus-web, bound by its own properties classes. */
	private static final String WEB_PREFIX = "eventbus.web.";

	private static final String REALTIME_PREFIX = "eventbus.realtime.";

	private EventBusConfigurationWarnings() {
	}

	/**
	 * Log a warning for each mistake found.
	 * @param environment the application's environment
	 */
	static void warnAbout(Environment environment) {
		warnAboutUnknownKeys(environment);
		warnAboutMemoryByDefault(environment);
	}

	private static void warnAboutUnknownKeys(Environment environment) {
		BindHandler handler = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
		try {
			Binder.get(environment).bind("eventbus", Bindable.of(EventBusProperties.class), handler);
		}
		catch (BindException ex) {
			if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
				String names = unbound.getUnboundProperties()
					.stream()
					.map(ConfigurationProperty::getName)
					.map(Object::toString)
					.filter((name) -> !name.startsWith(WEB_PREFIX) && !name.startsWith(REALTIME_PREFIX))
					.sorted()
					.collect(Collectors.joining(", "));
				if (names.isEmpty()) {
					return;
				}
				logger.warn("Unknown event bus properties, ignored: " + names
						+ "; see the eventbus.* keys in your IDE's completion or docs/configuration.md");
			}
		}
	}

	private static void warnAboutMemoryByDefault(Environment environment) {
		if (environment.containsProperty("eventbus.adapter")) {
			return;
		}
		for (BrokerSetting setting : BROKER_SETTINGS) {
			if (environment.containsProperty(setting.property())) {
				logger
					.warn("eventbus.adapter is not set, so the event bus runs in memory (not shared, not persistent), "
							+ "although " + setting.property() + " is set: set eventbus.adapter=" + setting.adapter()
							+ " to use that broker, or eventbus.adapter=memory to keep the bus in memory");
				return;
			}
		}
	}

	private record BrokerSetting(String property, String adapter) {

	}

}
