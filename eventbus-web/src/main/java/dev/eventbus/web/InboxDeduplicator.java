package dev.eventbus.web;

import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.runtime.EventInbox;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.RetrySettings;

/**
 * Publishes each event once through the bus's {@link EventInbox} (the
 * {@code eventbus-jdbc} inbox table), as if the endpoint were a handler that publishes:
 * the claim of the source and id and the publish share one transaction, so with the
 * outbox on, the event and its claim are committed together. Repeats are recognised
 * across restarts and instances for as long as the inbox keeps its claims. Thread safe.
 */
public final class InboxDeduplicator implements IngestionDeduplicator {

	private final EventInbox inbox;

	private final HandlerInfo endpoint;

	/**
	 * Create a deduplicator.
	 * @param inbox the inbox
	 * @param group the consumer group the claims are recorded under (the application's)
	 * @param path the endpoint's path, recorded as the handler's method
	 */
	public InboxDeduplicator(EventInbox inbox, String group, String path) {
		this.inbox = inbox;
		this.endpoint = new HandlerInfo("http-ingestion", null, "POST " + path, List.of("*"), group, List.of(), 1, null,
				RetrySettings.DEFAULTS, false, null, false, null, true);
	}

	@Override
	public boolean publishOnce(Event<?> event, Runnable publish) {
		try {
			return this.inbox.handleOnce(this.endpoint, event, (claimed) -> publish.run());
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

}
