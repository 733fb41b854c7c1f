package dev.eventbus.test.conformance;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.Retry;
import dev.eventbus.test.EventRecorder;
import tools.jackson.databind.JsonNode;

/**
 * Handler beans of the conformance cases that run through the runtime. Their destinations
 * are the placeholder {@value #DESTINATION}, resolved to the case's destination.
 */
final class ConformanceHandlers {

	/** Placeholder of the case's destination. */
	static final String DESTINATION = "${conformance.destination}";

	private ConformanceHandlers() {
	}

	/**
	 * Three handlers with type patterns, for case 11.
	 */
	static final class Wildcards {

		final EventRecorder photos = new EventRecorder();

		final EventRecorder processing = new EventRecorder();

		final EventRecorder users = new EventRecorder();

		@EventHandler(id = "photos", types = "photo.*", destinations = DESTINATION)
		void onPhoto(Event<JsonNode> event) {
			this.photos.record(event);
		}

		@EventHandler(id = "processing", types = "*.processing.*", destinations = DESTINATION)
		void onProcessing(Event<JsonNode> event) {
			this.processing.record(event);
		}

		@EventHandler(id = "users", types = "user.created", destinations = DESTINATION)
		void onUser(Event<JsonNode> event) {
			this.users.record(event);
		}

	}

	/**
	 * A handler that fails every event whose payload has {@code "fail": true}, for case
	 * 12.
	 */
	static final class Failing {

		static final String MESSAGE = "conformance: this handler always fails";

		final List<Long> failedCalls = new CopyOnWriteArrayList<>();

		final EventRecorder handled = new EventRecorder();

		@EventHandler(id = "failing", types = "order.*", destinations = DESTINATION,
				retry = @Retry(maxRetries = 2, delay = "50ms", multiplier = 2, maxDelay = "1s"))
		void on(Event<JsonNode> event) {
			if (event.payload().path("fail").asBoolean()) {
				this.failedCalls.add(System.nanoTime());
				throw new IllegalStateException(MESSAGE);
			}
			this.handled.record(event);
		}

	}

	/**
	 * A handler of valid events, behind which poison messages are sent, for case 13.
	 */
	static final class PoisonTolerant {

		final EventRecorder handled = new EventRecorder();

		@EventHandler(id = "poison-tolerant", types = "order.*", destinations = DESTINATION,
				retry = @Retry(maxRetries = 2, delay = "50ms"))
		void on(Event<JsonNode> event) {
			this.handled.record(event);
		}

	}

}
