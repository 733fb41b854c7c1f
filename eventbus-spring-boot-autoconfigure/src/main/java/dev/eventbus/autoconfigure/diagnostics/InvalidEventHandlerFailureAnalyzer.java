package dev.eventbus.autoconfigure.diagnostics;

import dev.eventbus.api.InvalidEventHandlerException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A {@code FailureAnalyzer} for an {@link InvalidEventHandlerException}: names the bean,
 * the method and what is wrong with it, and says what a valid handler looks like.
 */
class InvalidEventHandlerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEventHandlerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidEventHandlerException cause) {
		String description = "The @EventHandler method '" + cause.getMethod() + "' on bean '" + cause.getBeanName()
				+ "' cannot be wired: " + cause.getReason() + ".";
		String action = "Correct the method '" + cause.getMethod() + "' on bean '" + cause.getBeanName()
				+ "'. A handler takes one payload parameter (a class, Map, JsonNode or Event<T>) plus any"
				+ " @EventHeader String parameters, names its types with @EventHandler(types = ...) or through its payload"
				+ " class, and has a unique id; group, destinations, concurrency, condition and retry must hold"
				+ " valid values once placeholders are resolved. Or remove @EventHandler from the method.";
		return new FailureAnalysis(description, action, cause);
	}

}
