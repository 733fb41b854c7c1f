package dev.eventbus.autoconfigure.diagnostics;

import dev.eventbus.autoconfigure.InvalidEventBusPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * A {@code FailureAnalyzer} for an {@link InvalidEventBusPropertyException}: names the property,
 * its value, where it was set when known, and the values it accepts.
 */
class InvalidEventBusPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEventBusPropertyException> {

	private final @Nullable Environment environment;

	InvalidEventBusPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEventBusPropertyException cause) {
		StringBuilder description = new StringBuilder("Invalid value '").append(cause.getValue())
			.append("' for property '")
			.append(cause.getProperty())
			.append("'");
		Origin origin = origin(cause.getProperty());
		if (origin != null) {
			description.append(" (set in ").append(origin).append(")");
		}
		description.append(": it ").append(cause.getReason()).append(".");
		String action = "Update '" + cause.getProperty() + "' in your configuration: it " + cause.getReason() + ".";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private @Nullable Origin origin(String property) {
		if (this.environment == null || !ConfigurationPropertyName.isValid(property)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty configurationProperty = source.getConfigurationProperty(name);
			if (configurationProperty != null) {
				return configurationProperty.getOrigin();
			}
		}
		return null;
	}

}
