package dev.eventbus.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.eventbus.api.DeadLetters;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.autoconfigure.EventBusProperties.Handler;
import dev.eventbus.autoconfigure.EventBusProperties.Plain;
import dev.eventbus.autoconfigure.EventBusProperties.Retry;
import dev.eventbus.autoconfigure.EventBusProperties.Route;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;
import dev.eventbus.runtime.EventBusInterceptor;
import dev.eventbus.runtime.EventBusObservations.HandleObservationConvention;
import dev.eventbus.runtime.EventBusObservations.PublishObservationConvention;
import dev.eventbus.runtime.EventHandlerBeanPostProcessor;
import dev.eventbus.runtime.HandlerDefaults;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.spi.BatchSpec;
import dev.eventbus.spi.EventBusAdapter;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the event bus: the
 * {@link EventBus} on the adapter chosen with {@code eventbus.adapter}, the
 * {@link EventPublisher} and {@link DeadLetters} beans, and the post-processor that
 * registers {@code @EventHandler} methods. The properties are validated before the bus is
 * built, and the settings of an adapter before the adapter is: an unknown adapter, an
 * adapter whose classes are missing or an invalid value fails start-up with an exception
 * a failure analyzer explains. Adapters come from the configuration classes imported
 * here, one per adapter, each active when {@code eventbus.adapter} names it and no
 * {@link EventBusAdapter} bean exists.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventBusProperties.class)
@Import(InMemoryEventBusAdapterConfiguration.class)
public final class EventBusAutoConfiguration {

	private static final Log logger = LogFactory.getLog(EventBusAutoConfiguration.class);

	private static final String DEFAULT_GROUP = "application";

	private final EventBusProperties properties;

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	EventBusAutoConfiguration(EventBusProperties properties, Environment environment, ResourceLoader resourceLoader) {
		EventBusPropertiesValidator.validate(properties, resourceLoader.getClassLoader());
		EventBusConfigurationWarnings.warnAbout(environment);
		this.properties = properties;
		this.environment = environment;
		this.resourceLoader = resourceLoader;
	}

	@Bean
	@ConditionalOnMissingBean
	EventBus eventBus(EventBusAdapter eventBusAdapter, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<PublishObservationConvention> publishConvention,
			ObjectProvider<HandleObservationConvention> handleConvention,
			ObjectProvider<EventBusInterceptor> interceptors, ObjectProvider<EventBusBuilderCustomizer> customizers,
			ConfigurableBeanFactory beanFactory) {
		EventBusBuilder builder = EventBus.builder().adapter(eventBusAdapter);
		PropertyMapper map = PropertyMapper.get();
		map.from(this.properties::getDefaultDestination).to(builder::defaultDestination);
		map.from(this::routes).to(builder::routes);
		map.from(this::source).to(builder::source);
		map.from(this.properties::getDeadLetterSuffix).to(builder::deadLetterSuffix);
		map.from(this.properties::isDeadLetterUnmatchedEvents).to(builder::deadLetterUnmatchedEvents);
		map.from(this.properties::getPublishTimeout).to(builder::sendTimeout);
		map.from(this.properties::getShutdownTimeout).to(builder::shutdownTimeout);
		map.from(this::handlerDefaults).to(builder::handlerDefaults);
		map.from(this.properties.getCodec()::getPlain)
			.as(EventBusAutoConfiguration::plainJsonMapping)
			.to(builder::plainJsonMapping);
		builder.typeRegistry(typeRegistry(beanFactory));
		jsonMapper.ifUnique(builder::objectMapper);
		if (this.properties.getObservation().isEnabled()) {
			observationRegistry.ifUnique(builder::observationRegistry);
		}
		publishConvention.ifUnique(builder::publishObservationConvention);
		handleConvention.ifUnique(builder::handleObservationConvention);
		interceptors.orderedStream().forEach(builder::interceptor);
		builder.valueResolver(new EmbeddedValueResolver(beanFactory));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	EventPublisher eventPublisher(EventBus eventBus) {
		return eventBus.publisher();
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetters deadLetters(EventBus eventBus) {
		return eventBus.deadLetters();
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static EventHandlerBeanPostProcessor eventHandlerBeanPostProcessor() {
		return new EventHandlerBeanPostProcessor();
	}

	private EventTypeRegistry typeRegistry(ConfigurableBeanFactory beanFactory) {
		Set<String> packages = new LinkedHashSet<>(this.properties.getTypePackages());
		if (AutoConfigurationPackages.has(beanFactory)) {
			packages.addAll(AutoConfigurationPackages.get(beanFactory));
		}
		return new EventTypeScanner(this.environment, this.resourceLoader).scan(packages);
	}

	private Map<String, String> routes() {
		Map<String, String> routes = new LinkedHashMap<>();
		for (Route route : this.properties.getRoutes()) {
			for (String type : route.getTypes()) {
				String destination = route.getDestination();
				if (destination != null) {
					routes.putIfAbsent(type.trim(), destination.trim());
				}
			}
		}
		return routes;
	}

	private @Nullable String source() {
		if (this.properties.getSource() != null) {
			return this.properties.getSource();
		}
		String applicationName = this.environment.getProperty("spring.application.name");
		return StringUtils.hasText(applicationName) ? "urn:eventbus:" + applicationName : null;
	}

	private HandlerDefaults handlerDefaults() {
		Handler handler = this.properties.getHandler();
		Retry retry = handler.getRetry();
		RetrySettings retrySettings = new RetrySettings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
				retry.getMaxDelay(), retry.getJitter(), retry.getIncludes(), retry.getExcludes());
		return new HandlerDefaults(group(handler), handler.getConcurrency(), retrySettings, handler.getTimeout(),
				new BatchSpec(handler.getBatch().getMaxSize(), handler.getBatch().getMaxWait()),
				handler.isIdempotent());
	}

	private String group(Handler handler) {
		if (handler.getGroup() != null) {
			return handler.getGroup();
		}
		String applicationName = this.environment.getProperty("spring.application.name");
		if (StringUtils.hasText(applicationName)) {
			return applicationName;
		}
		logger.warn("Neither spring.application.name nor eventbus.handler.group is set: handlers join the consumer "
				+ "group '" + DEFAULT_GROUP + "', which every other application without them shares and competes "
				+ "in; set spring.application.name");
		return DEFAULT_GROUP;
	}

	private static PlainJsonMapping plainJsonMapping(Plain plain) {
		return new PlainJsonMapping(plain.getIdField(), plain.getSourceField(), plain.getTypeField(),
				plain.getSubjectField(), plain.getTimeField(), plain.getCorrelationIdField(),
				StringUtils.hasText(plain.getDataField()) ? plain.getDataField() : null);
	}

}
