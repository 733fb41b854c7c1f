package dev.eventbus.web;

import java.util.ArrayList;
import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * Publishes the events of one request through the application's {@link EventPublisher}:
 * each keeps its id, source, type, subject, time, correlation id, content type and
 * extensions, and is published once per source and id. All events of a request are
 * checked before any is published; then they are published in order, each when the
 * adapter (or the outbox) accepted the one before. Thread safe.
 */
public final class EventIngestion {

	private final EventPublisher publisher;

	private final IngestionPolicy policy;

	private final IngestionDeduplicator deduplicator;

	/**
	 * Create an ingestion.
	 * @param publisher the application's publisher
	 * @param policy what callers may publish
	 * @param deduplicator publishes each source and id once
	 */
	public EventIngestion(EventPublisher publisher, IngestionPolicy policy, IngestionDeduplicator deduplicator) {
		this.publisher = publisher;
		this.policy = policy;
		this.deduplicator = deduplicator;
	}

	/**
	 * Check and publish the events of one request.
	 * @param events the events
	 * @param principal the caller's name, or {@code null}
	 * @return one entry per event, in order
	 * @throws IngestionProblem 403 or 400 before anything was published; 503 when the
	 * adapter did not accept an event, listing the ids accepted before it
	 */
	public List<Accepted> ingest(List<Event<?>> events, @Nullable String principal) {
		List<EventMessage<?>> messages = new ArrayList<>(events.size());
		for (int index = 0; index < events.size(); index++) {
			try {
				this.policy.check(events.get(index), principal);
				messages.add(message(events.get(index)));
			}
			catch (IngestionProblem ex) {
				throw (events.size() > 1) ? ex.atIndex(index) : ex;
			}
		}
		List<Accepted> accepted = new ArrayList<>(events.size());
		for (int index = 0; index < events.size(); index++) {
			Event<?> event = events.get(index);
			EventMessage<?> message = messages.get(index);
			try {
				boolean published = this.deduplicator.publishOnce(event, () -> this.publisher.publish(message));
				accepted.add(new Accepted(event.id(), event.source(), !published));
			}
			catch (PublishException ex) {
				throw new IngestionProblem(HttpStatus.SERVICE_UNAVAILABLE, "Event bus unavailable",
						"The event bus did not accept event '" + event.id() + "': " + ex.getMessage())
					.afterAccepting(accepted.stream().map(Accepted::id).toList())
					.causedBy(ex);
			}
		}
		return accepted;
	}

	private static EventMessage<?> message(Event<?> event) {
		try {
			EventMessage.Builder<Object> message = EventMessage.of(event.type(), (Object) event.payload())
				.id(event.id())
				.source(event.source())
				.subject(event.subject())
				.time(event.time())
				.correlationId(event.correlationId())
				.contentType(event.dataContentType());
			for (String name : event.headers().keySet()) {
				Object value = event.extension(name);
				if (value != null) {
					message.extension(name, value);
				}
			}
			return message.build();
		}
		catch (IllegalArgumentException ex) {
			throw new IngestionProblem(HttpStatus.BAD_REQUEST, "Invalid CloudEvent", String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * An event the bus took.
	 *
	 * @param id the event's id
	 * @param source the event's source
	 * @param duplicate whether it had been published before, and was not again
	 */
	public record Accepted(String id, String source, boolean duplicate) {

	}

}
