package dev.eventbus.sqs;

import java.time.Duration;

/**
 * Adapter settings for tests: short visibility timeout and long polls, quick group
 * discovery.
 */
final class SqsTestSettings {

	private SqsTestSettings() {
	}

	static SqsAdapterSettings standard() {
		return SqsAdapterSettings.DEFAULTS.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))
			.withSendLinger(Duration.ofMillis(5))
			.withGroupRefreshInterval(Duration.ofSeconds(2));
	}

	static SqsAdapterSettings fifo() {
		return standard().withFifo(true);
	}

}
