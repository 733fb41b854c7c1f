package dev.eventbus.autoconfigure.diagnostics;

import dev.eventbus.autoconfigure.UnknownEventBusAdapterException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A {@code FailureAnalyzer} for an {@link UnknownEventBusAdapterException}: names the
 * value of {@code eventbus.adapter} and lists the valid ones.
 */
class UnknownEventBusAdapterFailureAnalyzer extends AbstractFailureAnalyzer<UnknownEventBusAdapterException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownEventBusAdapterException cause) {
		String validAdapters = String.join(", ", cause.getValidAdapters());
		return new FailureAnalysis(
				"The property 'eventbus.adapter' is set to '" + cause.getAdapter()
						+ "', which is not an event bus adapter.",
				"Set 'eventbus.adapter' to one of: " + validAdapters + ".", cause);
	}

}
