package dev.eventbus.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The adapters {@code eventbus.adapter} can name, with the classes each needs and the
 * artifacts that hold them. The in-memory adapter's configuration is imported by
 * {@link EventBusAutoConfiguration}; every broker adapter has an auto-configuration of
 * its own, ordered before it and active when {@code eventbus.adapter} names it. A new
 * adapter adds its constant here and its auto-configuration to the imports file.
 */
enum EventBusAdapterType {

	MEMORY("memory"),

	KAFKA("kafka", new RequiredClass("dev.eventbus.kafka.KafkaEventBusAdapter", "dev.eventbus:eventbus-kafka"),
			new RequiredClass("org.springframework.kafka.core.KafkaTemplate",
					"org.springframework.kafka:spring-kafka")),

	REDIS("redis", new RequiredClass("dev.eventbus.redis.RedisEventBusAdapter", "dev.eventbus:eventbus-redis"),
			new RequiredClass("org.springframework.data.redis.core.StringRedisTemplate",
					"org.springframework.data:spring-data-redis")),

	SQS("sqs", new RequiredClass("dev.eventbus.sqs.SqsEventBusAdapter", "dev.eventbus:eventbus-sqs"),
			new RequiredClass("software.amazon.awssdk.services.sqs.SqsAsyncClient", "software.amazon.awssdk:sqs")),

	RABBITMQ("rabbitmq",
			new RequiredClass("dev.eventbus.rabbitmq.RabbitMqEventBusAdapter", "dev.eventbus:eventbus-rabbitmq"),
			new RequiredClass("org.springframework.amqp.rabbit.core.RabbitTemplate",
					"org.springframework.amqp:spring-rabbit"),
			new RequiredClass("org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
					"org.springframework.boot:spring-boot-amqp"));

	private final String adapterName;

	private final List<RequiredClass> requiredClasses;

	EventBusAdapterType(String adapterName, RequiredClass... requiredClasses) {
		this.adapterName = adapterName;
		this.requiredClasses = List.of(requiredClasses);
	}

	String adapterName() {
		return this.adapterName;
	}

	/**
	 * Classes of this adapter that a class loader cannot load, in the order their
	 * artifacts should be added: the adapter module first, then the client library it
	 * normally brings.
	 * @param classLoader the class loader
	 * @return the missing classes, empty when the adapter can run
	 */
	List<RequiredClass> missingClasses(@Nullable ClassLoader classLoader) {
		List<RequiredClass> missing = new ArrayList<>();
		for (RequiredClass requiredClass : this.requiredClasses) {
			if (!ClassUtils.isPresent(requiredClass.className(), classLoader)) {
				missing.add(requiredClass);
			}
		}
		return missing;
	}

	/**
	 * Find an adapter by name, ignoring case as {@code @ConditionalOnProperty} does.
	 * @param name the value of {@code eventbus.adapter}
	 * @return the adapter, or {@code null} when the name is unknown
	 */
	static @Nullable EventBusAdapterType forName(String name) {
		String normalized = name.trim().toLowerCase(Locale.ROOT);
		for (EventBusAdapterType type : values()) {
			if (type.adapterName.equals(normalized)) {
				return type;
			}
		}
		return null;
	}

	static List<String> names() {
		return Arrays.stream(values()).map(EventBusAdapterType::adapterName).toList();
	}

	/**
	 * A class an adapter needs and the Maven coordinates of the artifact holding it.
	 *
	 * @param className the class
	 * @param coordinates {@code groupId:artifactId}
	 */
	record RequiredClass(String className, String coordinates) {

	}

}
