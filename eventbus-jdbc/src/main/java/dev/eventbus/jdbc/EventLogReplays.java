package dev.eventbus.jdbc;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.Extensions;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.jdbc.EventLog.EventLogQuery;
import dev.eventbus.jdbc.EventLog.LoggedEvent;
import dev.eventbus.runtime.FailureHeaders;
import dev.eventbus.spi.EncodedMessage;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replays the events of a log query: sends each again to the destination it was recorded
 * for, in log order, one after the other, on a thread of the replays' own. A replayed
 * event carries the header {@value #REPLAY_HEADER} with the replay's id, which handlers
 * can read ({@code event.header("replayid")}); it goes to every consumer group, to one
 * group, or to one handler of one group. A replay is bounded by the log position when it
 * starts, so events recorded meanwhile are not replayed. Its progress and outcome stay
 * readable while the application runs. Thread safe.
 */
public final class EventLogReplays implements AutoCloseable {

	/** The header a replayed event carries: the replay's id. */
	public static final String REPLAY_HEADER = "replayid";

	private static final Log logger = LogFactory.getLog(EventLogReplays.class);

	private static final int MAX_REMEMBERED = 100;

	private final EventLog log;

	private final EventBusAdapter adapter;

	private final JsonEventCodec codec;

	private final ExecutorService runner = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "eventbus-event-log-replay");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Progress> replays = new LinkedHashMap<>();

	/**
	 * Create the replays of a log.
	 * @param log the log
	 * @param adapter the adapter that sends the replayed events
	 * @param codec encodes them in the adapter's content mode
	 */
	public EventLogReplays(EventLog log, EventBusAdapter adapter, JsonEventCodec codec) {
		this.log = log;
		this.adapter = adapter;
		this.codec = codec;
	}

	/**
	 * Start replaying the events of a query, up to the log's last position now.
	 * @param query what to replay
	 * @param group the consumer group to replay to, or {@code null} for every group
	 * @param handler the handler id of that group to replay to, or {@code null} for every
	 * handler of the group
	 * @return the replay as it starts
	 */
	public synchronized Replay start(EventLogQuery query, @Nullable String group, @Nullable String handler) {
		if (handler != null && group == null) {
			throw new IllegalArgumentException("A replay to handler '" + handler + "' needs its consumer group");
		}
		Progress progress = new Progress(UUID.randomUUID().toString(), query.upTo(this.log.lastPosition()), group,
				handler);
		this.replays.put(progress.id, progress);
		while (this.replays.size() > MAX_REMEMBERED) {
			this.replays.remove(this.replays.keySet().iterator().next());
		}
		this.runner.execute(() -> run(progress));
		return progress.snapshot();
	}

	/**
	 * A replay, as it stands.
	 * @param id its id
	 * @return the replay, or empty when unknown
	 */
	public synchronized Optional<Replay> find(String id) {
		return Optional.ofNullable(this.replays.get(id)).map(Progress::snapshot);
	}

	/**
	 * The replays of this application, oldest first; the last 100 are remembered.
	 * @return the replays, as they stand
	 */
	public synchronized List<Replay> replays() {
		return this.replays.values().stream().map(Progress::snapshot).toList();
	}

	private void run(Progress progress) {
		EventLogQuery page = progress.query;
		try {
			List<LoggedEvent> events;
			do {
				events = this.log.find(page);
				for (LoggedEvent logged : events) {
					send(logged, progress);
					progress.sent(logged.position());
				}
				if (!events.isEmpty()) {
					page = page.after(events.get(events.size() - 1).position());
				}
			}
			while (events.size() == page.limit());
			progress.ended(null);
		}
		catch (RuntimeException ex) {
			logger.warn("Replay " + progress.id + " failed after " + progress.replayed + " events", ex);
			progress.ended(ex);
		}
	}

	private void send(LoggedEvent logged, Progress progress) {
		Event<?> event = logged.event();
		Map<String, String> headers = new LinkedHashMap<>(event.headers());
		headers.put(REPLAY_HEADER, progress.id);
		Event<?> replayed = new Event<>(event.id(), event.type(), event.source(), event.time(), event.subject(),
				event.correlationId(), event.causationId(), Extensions.keepingTypes(event.headers(), headers),
				event.dataContentType(), event.payload());
		EncodedMessage encoded = this.codec.encode(replayed, this.adapter.capabilities().contentMode());
		Map<String, String> transport = new LinkedHashMap<>(encoded.headers());
		if (progress.group != null) {
			transport.put(FailureHeaders.REPLAY_GROUP, progress.group);
		}
		if (progress.handler != null) {
			transport.put(FailureHeaders.REPLAY_HANDLER, progress.handler);
		}
		this.adapter
			.send(OutboundMessage.raw(logged.destination(), event.subject(), event.id(), transport, encoded.body()))
			.join();
	}

	@Override
	public void close() {
		this.runner.shutdownNow();
		try {
			this.runner.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A replay as it stands.
	 *
	 * @param id its id, the value of the {@value EventLogReplays#REPLAY_HEADER} header of
	 * its events
	 * @param query what it replays, bounded by the log position when it started
	 * @param group the consumer group it replays to, or {@code null} for every group
	 * @param handler the handler it replays to, or {@code null} for every handler
	 * @param state where it is
	 * @param replayed how many events it sent so far
	 * @param lastPosition the log position of the last event it sent, 0 before the first
	 * @param startedAt when it started
	 * @param endedAt when it ended, or {@code null} while it runs
	 * @param error why it failed, or {@code null}
	 */
	public record Replay(String id, EventLogQuery query, @Nullable String group, @Nullable String handler, State state,
			long replayed, long lastPosition, Instant startedAt, @Nullable Instant endedAt, @Nullable String error) {
	}

	/**
	 * Where a replay is.
	 */
	public enum State {

		/** Sending events. */
		RUNNING,

		/** Every event of its query was sent. */
		COMPLETED,

		/** It stopped at a failure. */
		FAILED

	}

	/**
	 * The mutable state of one replay; its monitor guards it.
	 */
	private static final class Progress {

		private final String id;

		private final EventLogQuery query;

		private final @Nullable String group;

		private final @Nullable String handler;

		private final Instant startedAt = Instant.now();

		private State state = State.RUNNING;

		private long replayed;

		private long lastPosition;

		private @Nullable Instant endedAt;

		private @Nullable String error;

		Progress(String id, EventLogQuery query, @Nullable String group, @Nullable String handler) {
			this.id = id;
			this.query = query;
			this.group = group;
			this.handler = handler;
		}

		synchronized void sent(long position) {
			this.replayed++;
			this.lastPosition = position;
		}

		synchronized void ended(@Nullable RuntimeException failure) {
			this.state = (failure != null) ? State.FAILED : State.COMPLETED;
			this.error = (failure != null) ? failure.getMessage() : null;
			this.endedAt = Instant.now();
		}

		synchronized Replay snapshot() {
			return new Replay(this.id, this.query, this.group, this.handler, this.state, this.replayed,
					this.lastPosition, this.startedAt, this.endedAt, this.error);
		}

	}

}
