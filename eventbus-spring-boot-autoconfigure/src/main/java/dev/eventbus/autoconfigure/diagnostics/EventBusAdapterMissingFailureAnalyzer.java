package dev.eventbus.autoconfigure.diagnostics;

import dev.eventbus.autoconfigure.EventBusAdapterMissingException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A {@code FailureAnalyzer} for an {@link EventBusAdapterMissingException}: names the
 * classes the chosen adapter lacks and the Maven coordinates of the artifacts to add.
 */
class EventBusAdapterMissingFailureAnalyzer extends AbstractFailureAnalyzer<EventBusAdapterMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EventBusAdapterMissingException cause) {
		String adapter = cause.getAdapter();
		String description = "The property 'eventbus.adapter' is set to '" + adapter
				+ "', but that adapter cannot run: these classes are not on the classpath: "
				+ String.join(", ", cause.getMissingClasses()) + ".";
		boolean single = cause.getCoordinates().size() == 1;
		String action = "Add the " + (single ? "dependency " : "dependencies ")
				+ String.join(" and ", cause.getCoordinates()) + " to your build. eventbus-spring-boot-starter normally"
				+ " brings " + (single ? "it" : "them") + ": check your build for an exclusion. Or set"
				+ " 'eventbus.adapter' to an adapter whose dependencies are present, such as 'memory'.";
		return new FailureAnalysis(description, action, cause);
	}

}
