package dev.eventbus.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Amazon SQS adapter. SQS has no consumer groups, so each group reads its own queue,
 * {@code <destination>__<group>}, and a send fans out to every group queue of its
 * destination (found with {@code ListQueues} by that prefix); a destination without any
 * group queue keeps its messages in its destination queue, {@code <destination>}, as does
 * every dead-letter destination, which the {@link #deadLetterStore() dead-letter store}
 * reads. The destination queue is also the destination's ingress, where producers outside
 * the bus send: from the first subscription to a destination on, an
 * {@link SqsIngressMover} copies what arrives there into every group queue and then
 * deletes it. Standard queues deliver at least once without order; FIFO queues
 * ({@link SqsAdapterSettings#fifo()}) keep the order of each subject, which is the
 * MessageGroupId. A batch handler's subscription receives until its batch is full or its
 * maximum wait has passed, and hands the batch to the handler whole; each message of it
 * is deleted or given back on its own.
 * <p>
 * Messages are CloudEvents structured JSON; sends, deletes and visibility changes are
 * batched per queue, up to 10 to a request, each waiting at most
 * {@link SqsAdapterSettings#sendLinger()} for its batch to fill, and each completing or
 * failing on its own. A queue found missing while sending, receiving or settling (deleted
 * by an operator, or lost with a broker that keeps no queues) is looked up again and,
 * with {@link SqsAdapterSettings#autoCreateQueues()}, created again as it was first
 * created; the send is retried once and the subscription polls on. With auto-creation off
 * such sends fail naming the queue and {@code eventbus.sqs.auto-create-queues}, and the
 * subscription reconnects until the queue exists again. The given {@link SqsAsyncClient}
 * is not closed by {@link #close()}. Thread safe.
 */
public final class SqsEventBusAdapter implements EventBusAdapter {

	private static final Log logger = LogFactory.getLog(SqsEventBusAdapter.class);

	/** Name of the adapter, as used in {@code eventbus.adapter}. */
	public static final String NAME = "sqs";

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration SETTLEMENT_FLUSH_TIMEOUT = Duration.ofSeconds(2);

	private final SqsAsyncClient client;

	private final SqsAdapterSettings settings;

	private final ScheduledExecutorService scheduler;

	private final SqsBatchedRequests requests;

	private final SqsQueues queues;

	private final SqsMessageMapping mapping;

	private final SqsPublisher publisher;

	private final SqsDeadLetterStore deadLetterStore;

	private final List<SqsSubscription> subscriptions = new CopyOnWriteArrayList<>();

	/** The ingress mover of each destination subscribed to, by destination. */
	private final ConcurrentMap<String, SqsIngressMover> movers = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create an adapter.
	 * @param client the SQS client, configured with region, credentials and endpoint
	 * @param settings what the bus adds
	 */
	public SqsEventBusAdapter(SqsAsyncClient client, SqsAdapterSettings settings) {
		this.client = client;
		this.settings = settings;
		this.scheduler = Executors.newScheduledThreadPool(1, (task) -> {
			Thread thread = new Thread(task, "eventbus-sqs-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		this.requests = new SqsBatchedRequests(client, settings.sendLinger(), this.scheduler);
		this.queues = new SqsQueues(client, settings, new SqsQueueNames(settings.fifo(), settings.deadLetterSuffix()));
		this.mapping = new SqsMessageMapping(settings.fifo());
		this.publisher = new SqsPublisher(this.queues, this.requests, this.mapping);
		this.deadLetterStore = new SqsDeadLetterStore(client, this.queues, this.mapping, settings.requestTimeout());
	}

	/**
	 * The settings this adapter runs with.
	 * @return the settings
	 */
	public SqsAdapterSettings settings() {
		return this.settings;
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Persistent, with consumer groups and redelivery of unsettled messages; ordered per
	 * key on FIFO queues only.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return new AdapterCapabilities(true, true, this.settings.fifo(), true, ContentMode.STRUCTURED);
	}

	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		return this.publisher.send(message);
	}

	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		if (this.closed.get()) {
			throw new IllegalStateException("SQS adapter is closed");
		}
		awaitQueue(spec);
		SqsSubscription subscription = new SqsSubscription(spec, listener, this.client, this.requests, this.queues,
				this.mapping, this.settings, this.scheduler);
		this.subscriptions.add(subscription);
		subscription.start();
		if (!this.queues.names().isDeadLetter(spec.destination())) {
			this.movers.computeIfAbsent(spec.destination(), (destination) -> new SqsIngressMover(destination,
					this.client, this.queues, this.requests, this.settings, (copied) -> {
					})
				.start());
		}
		return subscription;
	}

	/**
	 * Find or create the group's queue before the subscription is handed out, so that
	 * events published as soon as {@code subscribe} returned are fanned out to it. When
	 * SQS cannot be reached within the request timeout the subscription goes on trying in
	 * the background.
	 * @param spec the subscription
	 */
	private void awaitQueue(SubscriptionSpec spec) {
		try {
			this.queues.subscriptionQueue(spec.destination(), spec.group(), spec.maxAttempts())
				.get(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.debug("Queue of subscription " + spec.name() + " not ready yet; it keeps trying", ex);
		}
	}

	/**
	 * Checks that the queue of every subscription is reachable ({@code GetQueueUrl},
	 * bounded by the request timeout) and that every subscription is running.
	 * @return the health
	 */
	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("fifo", this.settings.fifo());
		List<String> problems = new ArrayList<>();
		Map<String, CompletableFuture<String>> checks = new LinkedHashMap<>();
		for (SqsSubscription subscription : this.subscriptions) {
			SubscriptionState state = subscription.state();
			if (state == SubscriptionState.STOPPED) {
				continue;
			}
			String queue = subscription.queueName();
			checks.putIfAbsent(queue, this.queues.existing(queue));
			if (state != SubscriptionState.RUNNING && state != SubscriptionState.STARTING) {
				problems.add("subscription " + subscription.spec().name() + " is " + state);
			}
		}
		long deadline = System.nanoTime() + this.settings.requestTimeout().toNanos();
		Map<String, String> reachable = new LinkedHashMap<>();
		for (Map.Entry<String, CompletableFuture<String>> check : checks.entrySet()) {
			try {
				long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
				check.getValue().get(left, TimeUnit.MILLISECONDS);
				reachable.put(check.getKey(), "reachable");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				problems.add("interrupted");
				break;
			}
			catch (Exception ex) {
				reachable.put(check.getKey(), String.valueOf(SqsFailures.unwrap(ex)));
				problems.add("queue " + check.getKey() + " is not reachable");
			}
		}
		details.put("queues", reachable);
		return problems.isEmpty() ? AdapterHealth.up(details)
				: AdapterHealth.down(String.join("; ", problems), details);
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Flush accepted sends, stop the subscriptions still open and the ingress movers,
	 * send their pending deletes and visibility changes and stop the scheduler; the SQS
	 * client stays open.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.publisher.flush(CLOSE_TIMEOUT);
		for (SqsSubscription subscription : this.subscriptions) {
			subscription.close(Duration.ZERO);
			subscription.abortPoll();
		}
		this.movers.values().forEach((mover) -> mover.close(this.settings.requestTimeout()));
		this.requests.flush();
		long deadline = System.nanoTime() + SETTLEMENT_FLUSH_TIMEOUT.toNanos();
		for (SqsSubscription subscription : this.subscriptions) {
			subscription.awaitSettlementsSent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
		this.scheduler.shutdownNow();
	}

}
