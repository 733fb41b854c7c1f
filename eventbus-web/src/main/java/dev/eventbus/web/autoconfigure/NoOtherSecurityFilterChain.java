package dev.eventbus.web.autoconfigure;

import java.util.Arrays;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Matches when the application (or Spring Boot) declares no security filter chain besides
 * the ingestion endpoint's.
 */
class NoOtherSecurityFilterChain implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		return beans == null || Arrays.stream(beans.getBeanNamesForType(SecurityFilterChain.class, true, false))
			.allMatch((name) -> name.equals(IngestionSecurityConfiguration.CHAIN)
					|| name.equals(IngestionSecurityConfiguration.DEFAULT_CHAIN));
	}

}
