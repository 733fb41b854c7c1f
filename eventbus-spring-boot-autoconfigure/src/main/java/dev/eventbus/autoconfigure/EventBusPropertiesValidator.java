package dev.eventbus.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import dev.eventbus.autoconfigure.EventBusAdapterType.RequiredClass;
import dev.eventbus.autoconfigure.EventBusProperties.Kafka;
import dev.eventbus.autoconfigure.EventBusProperties.Memory;
import dev.eventbus.autoconfigure.EventBusProperties.Plain;
import dev.eventbus.autoconfigure.EventBusProperties.Redis;
import dev.eventbus.autoconfigure.EventBusProperties.Retry;
import dev.eventbus.autoconfigure.EventBusProperties.Route;
import dev.eventbus.autoconfigure.EventBusProperties.Sqs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Checks {@link EventBusProperties} before the bus is built, so that a bad value fails
 * start-up with an exception naming the property and the values it accepts: first the
 * adapter name and its classes, then every other value.
 */
public final class EventBusPropertiesValidator {

	private static final String PREFIX = "eventbus.";

	private EventBusPropertiesValidator() {
	}

	/**
	 * Validate the properties common to every adapter; the settings of an adapter are
	 * validated by its configuration.
	 * @param properties the properties
	 * @param classLoader the class loader the adapter classes must be visible to
	 * @throws UnknownEventBusAdapterException if the adapter name is unknown
	 * @throws EventBusAdapterMissingException if the adapter's classes are missing
	 * @throws InvalidConfigurationPropertyValueException if any other value is invalid
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
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
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

	/**
	 * Validate the settings of the Kafka adapter.
	 * @param kafka the settings
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public static void validateKafka(Kafka kafka) {
		atLeast("kafka.partitions", kafka.getPartitions(), 1);
		atLeast("kafka.replication-factor", kafka.getReplicationFactor(), 1);
		positive("kafka.close-timeout", kafka.getCloseTimeout());
		positive("kafka.operation-timeout", kafka.getOperationTimeout());
		positive("kafka.health-timeout", kafka.getHealthTimeout());
		notBlank("kafka.dead-letter-marker-topic", kafka.getDeadLetterMarkerTopic());
	}

	/**
	 * Validate the settings of the Redis adapter.
	 * @param redis the settings
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public static void validateRedis(Redis redis) {
		String consumerName = redis.getConsumerName();
		if (consumerName != null && !StringUtils.hasText(consumerName)) {
			throw invalid("redis.consumer-name", consumerName,
					"must not be empty; leave it unset to use the host name");
		}
		atLeast("redis.batch-size", redis.getBatchSize(), 1);
		positive("redis.poll-timeout", redis.getPollTimeout());
		positive("redis.claim-idle-time", redis.getClaimIdleTime());
		positive("redis.claim-interval", redis.getClaimInterval());
		positive("redis.health-timeout", redis.getHealthTimeout());
		Long maxLength = redis.getMaxLength();
		if (maxLength != null && maxLength < 1) {
			throw invalid("redis.max-length", maxLength, "must be at least 1; leave it unset not to trim streams");
		}
	}

	/**
	 * Validate the settings of the SQS adapter.
	 * @param sqs the settings
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 */
	public static void validateSqs(Sqs sqs) {
		between("sqs.visibility-timeout", sqs.getVisibilityTimeout(), Duration.ofSeconds(1), Duration.ofHours(12));
		between("sqs.wait-time", sqs.getWaitTime(), Duration.ZERO, Duration.ofSeconds(20));
		between("sqs.send-linger", sqs.getSendLinger(), Duration.ofMillis(1), Duration.ofSeconds(1));
		between("sqs.group-refresh-interval", sqs.getGroupRefreshInterval(), Duration.ofMillis(1), Duration.ofDays(1));
		between("sqs.request-timeout", sqs.getRequestTimeout(), Duration.ofMillis(1), Duration.ofMinutes(5));
		atLeast("sqs.max-in-flight-messages", sqs.getMaxInFlightMessages(), 1);
		atLeast("sqs.dead-letter.redrive-extra-receives", sqs.getDeadLetter().getRedriveExtraReceives(), 0);
	}

	private static void between(String property, Duration value, Duration min, Duration max) {
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw invalid(property, value, "must be between " + min + " and " + max);
		}
	}

	/**
	 * The exception for an invalid value, whose failure analysis names the property,
	 * where it was set, and the reason.
	 * @param property the property, without the {@code eventbus.} prefix
	 * @param value the value
	 * @param reason what a valid value is
	 * @return the exception
	 */
	static InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

}
