package dev.eventbus.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import dev.eventbus.autoconfigure.EventBusAdapterType.RequiredClass;
import dev.eventbus.autoconfigure.EventBusProperties.Memory;
import dev.eventbus.autoconfigure.EventBusProperties.Plain;
import dev.eventbus.autoconfigure.EventBusProperties.Retry;
import dev.eventbus.autoconfigure.EventBusProperties.Route;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Checks {@link EventBusProperties} before the bus is built, so that a bad value fails start-up
 * with an exception naming the property and the values it accepts: first the adapter name and its
 * classes, then every other value.
 */
final class EventBusPropertiesValidator {

	private static final String PREFIX = "eventbus.";

	private EventBusPropertiesValidator() {
	}

	/**
	 * Validate the properties common to every adapter; the settings of an adapter are validated by
	 * its configuration.
	 * @param properties the properties
	 * @param classLoader the class loader the adapter classes must be visible to
	 * @throws UnknownEventBusAdapterException if the adapter name is unknown
	 * @throws EventBusAdapterMissingException if the adapter's classes are missing
	 * @throws InvalidEventBusPropertyException if any other value is invalid
	 */
	static void validate(EventBusProperties properties, @Nullable ClassLoader classLoader) {
		adapter(properties.getAdapter(), classLoader);
		notBlank("default-destination", properties.getDefaultDestination());
		routes(properties.getRoutes());
		source(properties.getSource());
		notBlank("dead-letter-suffix", properties.getDeadLetterSuffix());
		positive("publish-timeout", properties.getPublishTimeout());
		positive("shutdown-timeout", properties.getShutdownTimeout());
		String group = properties.getHandler().getGroup();
		if (group != null) {
			notBlank("handler.group", group);
		}
		atLeast("handler.concurrency", properties.getHandler().getConcurrency(), 1);
		if (properties.getHandler().getTimeout() != null) {
			positive("handler.timeout", properties.getHandler().getTimeout());
		}
		retry(properties.getHandler().getRetry());
		plain(properties.getCodec().getPlain());
	}

	private static void adapter(String name, @Nullable ClassLoader classLoader) {
		EventBusAdapterType adapter = EventBusAdapterType.forName(name);
		if (adapter == null) {
			throw new UnknownEventBusAdapterException(name, EventBusAdapterType.names());
		}
		List<RequiredClass> missing = adapter.missingClasses(classLoader);
		if (!missing.isEmpty()) {
			throw new EventBusAdapterMissingException(adapter.adapterName(),
					missing.stream().map(RequiredClass::className).toList(),
					missing.stream().map(RequiredClass::coordinates).toList());
		}
	}

	private static void routes(List<Route> routes) {
		for (int i = 0; i < routes.size(); i++) {
			String property = "routes[" + i + "].";
			Route route = routes.get(i);
			if (route.getTypes().isEmpty()) {
				throw invalid(property + "types", route.getTypes(),
						"must name at least one event type pattern, such as order.* or order.created");
			}
			for (String type : route.getTypes()) {
				notBlank(property + "types", type);
			}
			notBlank(property + "destination", route.getDestination());
		}
	}

	private static void source(@Nullable String source) {
		if (source == null) {
			return;
		}
		notBlank("source", source);
		try {
			new URI(source);
		}
		catch (URISyntaxException ex) {
			throw invalid("source", source, "must be a URI reference, such as urn:eventbus:orders or /orders");
		}
	}

	private static void retry(Retry retry) {
		String property = "handler.retry.";
		if (retry.getMaxRetries() < 0) {
			throw invalid(property + "max-retries", retry.getMaxRetries(), "must be at least 0");
		}
		notNegative(property + "delay", retry.getDelay());
		if (retry.getMultiplier() < 1) {
			throw invalid(property + "multiplier", retry.getMultiplier(), "must be at least 1.0, such as 2.0");
		}
		notNegative(property + "max-delay", retry.getMaxDelay());
		if (retry.getMaxDelay().compareTo(retry.getDelay()) < 0) {
			throw invalid(property + "max-delay", retry.getMaxDelay(),
					"must not be shorter than eventbus.handler.retry.delay (" + retry.getDelay() + ")");
		}
		notNegative(property + "jitter", retry.getJitter());
	}

	/**
	 * Validate the settings of the in-memory adapter.
	 * @param memory the settings
	 * @throws InvalidEventBusPropertyException if a value is invalid
	 */
	static void validateMemory(Memory memory) {
		atLeast("memory.queue-capacity", memory.getQueueCapacity(), 1);
		notNegative("memory.enqueue-timeout", memory.getEnqueueTimeout());
		atLeast("memory.history-size", memory.getHistorySize(), 0);
	}

	private static void plain(Plain plain) {
		String property = "codec.plain.";
		notBlank(property + "id-field", plain.getIdField());
		notBlank(property + "type-field", plain.getTypeField());
		notBlank(property + "subject-field", plain.getSubjectField());
		notBlank(property + "time-field", plain.getTimeField());
		notBlank(property + "correlation-id-field", plain.getCorrelationIdField());
	}

	private static void notBlank(String property, @Nullable String value) {
		if (!StringUtils.hasText(value)) {
			throw invalid(property, value, "must not be empty");
		}
	}

	private static void atLeast(String property, int value, int minimum) {
		if (value < minimum) {
			throw invalid(property, value, "must be at least " + minimum);
		}
	}

	private static void positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be a positive duration, such as 30s or 500ms");
		}
	}

	private static void notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(property, value, "must be zero or a positive duration, such as 1s or 200ms");
		}
	}

	private static InvalidEventBusPropertyException invalid(String property, @Nullable Object value, String reason) {
		return new InvalidEventBusPropertyException(PREFIX + property, value, reason);
	}

}
