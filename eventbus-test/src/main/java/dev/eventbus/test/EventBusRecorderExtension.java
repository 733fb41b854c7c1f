package dev.eventbus.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Clears the {@link EventBusRecorder} of the test's application context after each test
 * method.
 */
class EventBusRecorderExtension implements AfterEachCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		SpringExtension.getApplicationContext(context)
			.getBeanProvider(EventBusRecorder.class)
			.ifAvailable(EventBusRecorder::clear);
	}

}
