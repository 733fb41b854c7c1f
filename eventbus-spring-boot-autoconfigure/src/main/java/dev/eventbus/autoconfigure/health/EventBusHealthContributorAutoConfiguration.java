package dev.eventbus.autoconfigure.health;

import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.runtime.EventBus;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the
 * {@link EventBusHealthIndicator}, contributed to the health endpoint as {@code eventbus}
 * and, by default, to the readiness group. Disabled with
 * {@code management.health.eventbus.enabled=false}.
 */
@AutoConfiguration(after = EventBusAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(EventBus.class)
@ConditionalOnEnabledHealthIndicator("eventbus")
public final class EventBusHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "eventbusHealthIndicator", "eventbusHealthContributor" })
	EventBusHealthIndicator eventbusHealthIndicator(EventBus eventBus) {
		return new EventBusHealthIndicator(eventBus);
	}

}
