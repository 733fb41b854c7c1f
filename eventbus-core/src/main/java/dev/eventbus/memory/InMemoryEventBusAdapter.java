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
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Adapter that keeps everything in the JVM: bounded, asynchronous, ordered per key, with
 * consumer groups. Not persistent: what is queued is lost when the JVM stops
 * (at-most-once across a crash).
 * <p>
 * <b>Sending.</b> {@link #send} queues the message for every consumer group currently
 * subscribed to the destination and returns a completed future positioned at the
 * destination's sequence number. Events are handed to listeners in process
 * ({@link dev.eventbus.spi.Delivery#event()}); headers and body are encoded in structured
 * mode only when asked for. Each group holds at most
 * {@link InMemoryAdapterSettings#queueCapacity()} messages queued or in flight; a send to
 * a full group blocks the caller up to {@link InMemoryAdapterSettings#enqueueTimeout()}
 * and then fails with {@link EventBusOverloadedException}, having queued nothing. A
 * destination without groups only retains the message in its history. Groups outlive
 * their members: messages sent while a group has no member wait, up to its capacity, for
 * the next member to join.
 * <p>
 * <b>Receiving.</b> Each group has as many lanes as the concurrency of the subscription
 * that created it; a key always maps to the same lane, and a lane delivers one message at
 * a time (one batch, for a batch subscription), so messages of one key are handled in
 * order, one at a time, while distinct keys proceed in parallel. Listeners run on the
 * {@link TaskExecutor} given (a Spring Boot application passes one built from its task
 * execution settings, with virtual threads when they are on); an idle bus runs no thread.
 * A retried delivery waits out its delay and is then redelivered on its lane, ahead of
 * the messages behind it. A subscription that closes hands its deliveries still unsettled
 * after the drain timeout back to their lanes, for another member or the next to join.
 * <p>
 * <b>History and dead letters.</b> Every destination retains its last
 * {@link InMemoryAdapterSettings#historySize()} messages, readable through
 * {@link #history} and, for dead-letter destinations (ordinary destinations such as
 * {@code orders.dlq}), through {@link #deadLetterStore()}, which browses, removes and
 * purges them.
 * <p>
 * Thread safe. After {@link #close()} sends fail with {@link PublishException} and
 * subscribing throws {@link IllegalStateException}.
 */
public final class InMemoryEventBusAdapter implements EventBusAdapter {

	/** The adapter name, as in {@code eventbus.adapter=memory}. */
	public static final String NAME = "memory";

	private static final AdapterCapabilities CAPABILITIES = new AdapterCapabilities(false, true, true, true,
			ContentMode.STRUCTURED);

	private final InMemoryAdapterSettings settings;

	private final TaskExecutor executor;

	private final boolean ownsExecutor;

	private final ConcurrentMap<String, MemoryDestination> destinations = new ConcurrentHashMap<>();

	private final MemoryDeadLetterStore deadLetterStore = new MemoryDeadLetterStore(this.destinations::get);

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter with {@link InMemoryAdapterSettings#DEFAULTS} and an executor of
	 * its own.
	 */
	public InMemoryEventBusAdapter() {
		this(InMemoryAdapterSettings.DEFAULTS);
	}

	/**
	 * Create an adapter with an executor of its own: a pool of eight threads, shut down
	 * on close.
	 * @param settings the settings
	 */
	public InMemoryEventBusAdapter(InMemoryAdapterSettings settings) {
		this(settings, defaultExecutor(), true);
	}

	/**
	 * Create an adapter whose listeners run on an executor the caller owns and shuts
	 * down.
	 * @param settings the settings
	 * @param executor runs deliveries; each task delivers a run of messages of one lane
	 */
	public InMemoryEventBusAdapter(InMemoryAdapterSettings settings, TaskExecutor executor) {
		this(settings, executor, false);
	}

	private InMemoryEventBusAdapter(InMemoryAdapterSettings settings, TaskExecutor executor, boolean ownsExecutor) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.executor = Objects.requireNonNull(executor, "executor");
		this.ownsExecutor = ownsExecutor;
	}

	private static TaskExecutor defaultExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(8);
		executor.setThreadNamePrefix("eventbus-memory-");
		executor.setDaemon(true);
		executor.setAllowCoreThreadTimeOut(true);
		executor.initialize();
		return executor;
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Not persistent; consumer groups, ordered per key, redelivers unsettled deliveries
	 * within the JVM; structured content mode.
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
	 * Queue a message for every group of its destination. Blocks while a group is full,
	 * up to the enqueue timeout.
	 * @param message the message
	 * @return a completed future: the position is the message's sequence number in its
	 * destination; exceptionally {@link EventBusOverloadedException} when a group stayed
	 * full, or {@link PublishException} when the adapter is closed or the caller was
	 * interrupted
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		Objects.requireNonNull(message, "message");
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new PublishException("In-memory adapter closed: message '"
					+ message.id() + "' to '" + message.destination() + "' was not sent"));
		}
		try {
			long sequence = destination(message.destination()).send(message);
			return CompletableFuture.completedFuture(new SendResult(Long.toString(sequence)));
		}
		catch (PublishException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture.failedFuture(new PublishException("Interrupted while waiting for room in '"
					+ message.destination() + "': message '" + message.id() + "' was not sent", ex));
		}
	}

	/**
	 * Join the spec's group on its destination, creating the group with
	 * {@code spec.concurrency()} lanes if it is new. Messages already queued for the
	 * group start flowing to the new member.
	 * @param spec what to receive
	 * @param listener called on the executor's threads
	 * @return the subscription, already {@link dev.eventbus.spi.SubscriptionState#RUNNING
	 * running}
	 * @throws IllegalStateException if the adapter is closed
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		Objects.requireNonNull(spec, "spec");
		Objects.requireNonNull(listener, "listener");
		if (this.closed.get()) {
			throw new IllegalStateException("In-memory adapter closed: cannot subscribe '" + spec.name() + "'");
		}
		MemoryGroup group = destination(spec.destination()).group(spec.group(), spec.concurrency(), spec.batch());
		MemorySubscription subscription = new MemorySubscription(spec, listener, group);
		group.join(subscription);
		return subscription;
	}

	/**
	 * Up while open, with the number of destinations and of messages queued across
	 * groups; down once closed.
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
		return this.closed.get() ? AdapterHealth.down("adapter closed", details) : AdapterHealth.up(details);
	}

	/**
	 * The newest messages a destination retained, whether or not they were consumed.
	 * @param destination the destination
	 * @param limit maximum number returned
	 * @return up to {@code limit} of the newest retained messages, oldest first; empty
	 * for a destination never sent to
	 */
	public List<StoredMessage> history(String destination, int limit) {
		MemoryDestination retained = this.destinations.get(destination);
		return (retained != null && limit > 0) ? retained.history().newest(limit) : List.of();
	}

	/**
	 * Forget the messages a destination retained, for example between tests. Messages
	 * queued for its consumer groups are delivered as before.
	 * @param destination the destination
	 */
	public void clearHistory(String destination) {
		MemoryDestination retained = this.destinations.get(destination);
		if (retained != null) {
			retained.history().purge();
		}
	}

	/**
	 * A store over the retained messages of any destination, meant for dead-letter
	 * destinations.
	 * @return the store
	 */
	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Drop queued messages and stop delivering; an executor the adapter made is shut
	 * down, giving running listeners its default wait. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (MemoryDestination destination : this.destinations.values()) {
			destination.groups().forEach(MemoryGroup::shutdown);
		}
		if (this.ownsExecutor && this.executor instanceof ThreadPoolTaskExecutor pool) {
			pool.shutdown();
		}
	}

	private MemoryDestination destination(String name) {
		return this.destinations.computeIfAbsent(name,
				(key) -> new MemoryDestination(key, this.settings, this.executor));
	}

	@Override
	public String toString() {
		return "InMemoryEventBusAdapter[destinations=" + this.destinations.size() + ", closed=" + this.closed.get()
				+ "]";
	}

}
