package dev.eventbus.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.api.EventBusOverloadedException;
import dev.eventbus.api.PublishException;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import org.jspecify.annotations.Nullable;

/**
 * Adapter that keeps everything in the JVM: bounded, asynchronous, ordered per key, with consumer
 * groups. Not persistent: what is queued is lost when the JVM stops (at-most-once across a crash).
 * <p>
 * <b>Sending.</b> {@link #send} queues the message for every consumer group currently subscribed to
 * the destination and returns a completed future positioned at the destination's sequence number.
 * Events are handed to listeners in process ({@link dev.eventbus.spi.Delivery#event()}); headers and
 * body are encoded in structured mode only when asked for. Each group holds at most
 * {@link InMemoryAdapterSettings#queueCapacity()} messages queued or in flight; a send to a full group
 * blocks the caller up to {@link InMemoryAdapterSettings#publishTimeout()} and then fails with
 * {@link EventBusOverloadedException}, having queued nothing. A destination without groups only
 * retains the message in its history. Groups outlive their members: messages sent while a group has
 * no member wait, up to its capacity, for the next member to join, so a group whose members left for
 * good fills up and then makes sends to its destination fail. A listener that publishes to a full
 * group blocks its pool thread for up to the publish timeout.
 * <p>
 * <b>Receiving.</b> Each group has as many lanes as the concurrency of the subscription that created
 * it; a key always maps to the same lane, and a lane delivers one message at a time, so messages of
 * one key are handled in order, one at a time, while distinct keys proceed in parallel. Listeners run
 * on a shared pool of at most {@link InMemoryAdapterSettings#maxThreads()} threads. A retried delivery
 * is redelivered on its lane, ahead of the messages behind it, after its delay; a listener that
 * throws has its delivery retried after 100 ms. A subscription that closes hands its deliveries still
 * unsettled after the drain timeout back to their lanes, for another member or the next to join.
 * <p>
 * <b>History and dead letters.</b> Every destination retains its last
 * {@link InMemoryAdapterSettings#historySize()} messages, readable through {@link #history} and, for
 * dead-letter destinations (ordinary destinations such as {@code orders.dlq}), through
 * {@link #deadLetterStore()}, which browses, removes and purges them.
 * <p>
 * Thread safe. After {@link #close()} sends fail with {@link PublishException} and subscribing
 * throws {@link IllegalStateException}.
 */
public final class InMemoryEventBusAdapter implements EventBusAdapter {

	/** The adapter name, as in {@code eventbus.adapter=memory}. */
	public static final String NAME = "memory";

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(false, true, true, true,
			ContentMode.STRUCTURED);

	private final InMemoryAdapterSettings settings;

	private final MemoryWorkers workers;

	private final ConcurrentMap<String, MemoryDestination> destinations = new ConcurrentHashMap<>();

	/** The destination sent to or subscribed to last (destinations are never removed). */
	private volatile @Nullable MemoryDestination lastDestination;

	private final MemoryDeadLetterStore deadLetterStore = new MemoryDeadLetterStore(this.destinations::get);

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter with {@link InMemoryAdapterSettings#DEFAULTS}.
	 */
	public InMemoryEventBusAdapter() {
		this(InMemoryAdapterSettings.DEFAULTS);
	}

	/**
	 * Create an adapter.
	 * @param settings the settings
	 */
	public InMemoryEventBusAdapter(InMemoryAdapterSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.workers = new MemoryWorkers(settings);
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Not persistent; consumer groups, ordered per key, redelivers unsettled deliveries within the
	 * JVM; structured content mode.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return CAPABILITIES;
	}

	public InMemoryAdapterSettings settings() {
		return this.settings;
	}

	/**
	 * Queue a message for every group of its destination: {@link #sendNow} as a completed future.
	 * @param message the message
	 * @return a completed future: the position is the message's sequence number in its destination;
	 * exceptionally {@link EventBusOverloadedException} when a group stayed full, or
	 * {@link PublishException} when the adapter is closed or the caller was interrupted
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		try {
			return CompletableFuture.completedFuture(sendNow(message));
		}
		catch (PublishException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Always: a message is queued or refused before {@link #sendNow} returns.
	 * @return {@code true}
	 */
	@Override
	public boolean acceptsSynchronously() {
		return true;
	}

	/**
	 * Queue a message for every group of its destination. Blocks while a group is full, up to the
	 * publish timeout.
	 * @param message the message
	 * @return the position: the message's sequence number in its destination
	 * @throws EventBusOverloadedException when a group stayed full
	 * @throws PublishException when the adapter is closed or the caller was interrupted
	 */
	@Override
	public SendResult sendNow(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			throw new PublishException("In-memory adapter closed: message '" + message.id() + "' to '"
					+ message.destination() + "' was not sent");
		}
		try {
			return destination(message.destination()).send(message);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishException("Interrupted while waiting for room in '" + message.destination()
					+ "': message '" + message.id() + "' was not sent", ex);
		}
	}

	/**
	 * Join the spec's group on its destination, creating the group with {@code spec.concurrency()}
	 * lanes if it is new. Messages already queued for the group start flowing to the new member.
	 * @param spec what to receive
	 * @param listener called on the adapter's pool threads
	 * @return the subscription, already {@link dev.eventbus.spi.SubscriptionState#RUNNING running}
	 * @throws IllegalStateException if the adapter is closed
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(listener, "listener");
		if (this.closed.get()) {
			throw new IllegalStateException("In-memory adapter closed: cannot subscribe '" + spec.name() + "'");
		}
		MemoryGroup group = destination(spec.destination()).group(spec.group(), spec.concurrency());
		return group.join(new MemorySubscription(spec, listener, group));
	}

	/**
	 * Up while open, with the number of destinations and of messages queued across groups; down
	 * once closed.
	 * @return the health
	 */
	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("destinations", this.destinations.size());
		int queued = 0;
		for (MemoryDestination destination : this.destinations.values()) {
			queued += destination.queued();
		}
		details.put("queued", queued);
		details.put("activeThreads", this.workers.activeThreads());
		return this.closed.get() ? AdapterHealth.down("adapter closed", details) : AdapterHealth.up(details);
	}

	/**
	 * The newest messages a destination retained, whether or not they were consumed.
	 * @param destination the destination
	 * @param limit maximum number returned
	 * @return up to {@code limit} of the newest retained messages, oldest first; empty for a
	 * destination never sent to
	 */
	public List<StoredMessage> history(String destination, int limit) {
		MemoryDestination retained = this.destinations.get(destination);
		return (retained != null && limit > 0) ? retained.history().newest(limit) : List.of();
	}

	/**
	 * A store over the retained messages of any destination, meant for dead-letter destinations.
	 * @return the store
	 */
	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Close every subscription still open without draining, drop queued messages and stop the
	 * threads, giving running listeners a second to return. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (MemoryDestination destination : this.destinations.values()) {
			destination.groups().forEach(MemoryGroup::shutdown);
		}
		this.workers.shutdown();
	}

	private MemoryDestination destination(String name) {
		MemoryDestination last = this.lastDestination;
		if (last != null && last.name().equals(name)) {
			return last;
		}
		MemoryDestination destination = this.destinations.get(name);
		if (destination == null) {
			destination = this.destinations.computeIfAbsent(name,
					(key) -> new MemoryDestination(key, this.settings, this.workers));
		}
		this.lastDestination = destination;
		return destination;
	}

	@Override
	public String toString() {
		return "InMemoryEventBusAdapter[destinations=" + this.destinations.size() + ", closed=" + this.closed.get()
				+ "]";
	}

}
