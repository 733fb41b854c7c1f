package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Adapter over RabbitMQ (AMQP 0-9-1) on Spring AMQP's own parts: persistent, consumer
 * groups, at least once, ordered per key when asked.
 * <p>
 * <b>Topology</b> ({@link RabbitMqTopology}): a durable topic exchange per destination,
 * routing key = event type; a durable quorum queue per consumer group,
 * {@code <destination>.<group>}, bound with the group's type patterns
 * ({@link BindingKeys}); dead letters in {@code <destination>.dlq}.
 * <p>
 * <b>Sending</b> ({@link RabbitMqPublisher}): persistent CloudEvents structured-mode
 * messages through a {@link RabbitTemplate}, mandatory, with correlated publisher
 * confirms; a send completes once the broker confirmed and routed the message, and fails
 * when no queue is bound to it.
 * <p>
 * <b>Receiving</b> ({@link RabbitMqSubscription}): a listener container per subscription
 * with manual acknowledgement; acknowledged once the runtime settled the delivery;
 * retries held unacknowledged in process and handed out again after their delay
 * ({@link RabbitMqDispatcher}). With {@link RabbitMqAdapterSettings#orderedPerKey()}
 * group queues have a single active consumer and each key is delivered in order, one at a
 * time.
 * <p>
 * The connection factory must have correlated publisher confirms and publisher returns
 * on; the adapter uses its publisher connection to send and its main connection to
 * receive and declare. Spring AMQP reconnects after a broker restart. {@link #close()}
 * destroys the connection factory only when the adapter was {@link #create created} with
 * it. Thread safe.
 */
public final class RabbitMqEventBusAdapter implements EventBusAdapter {

	private static final Log logger = LogFactory.getLog(RabbitMqEventBusAdapter.class);

	/** Name of the adapter, as used in {@code eventbus.adapter}. */
	public static final String NAME = "rabbitmq";

	private final CachingConnectionFactory connectionFactory;

	private final boolean ownsConnectionFactory;

	private final RabbitMqAdapterSettings settings;

	private final RabbitMqFailures failures;

	private final RabbitAdmin admin;

	private final RabbitTemplate template;

	private final RabbitMqTopology topology;

	private final RabbitMqMessageMapping mapping = new RabbitMqMessageMapping();

	private final RabbitMqPublisher publisher;

	private final RabbitMqDeadLetterStore deadLetterStore;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService io;

	private final List<RabbitMqSubscription> subscriptions = new CopyOnWriteArrayList<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Object probing = new Object();

	private @Nullable CompletableFuture<String> probe;

	/**
	 * Create an adapter. No connection is made until the first send or subscription.
	 * @param connectionFactory the connection factory, with
	 * {@link CachingConnectionFactory.ConfirmType#CORRELATED correlated} publisher
	 * confirms and publisher returns on
	 * @param settings what the bus adds
	 * @throws IllegalArgumentException if confirms or returns are off
	 */
	public RabbitMqEventBusAdapter(CachingConnectionFactory connectionFactory, RabbitMqAdapterSettings settings) {
		this(connectionFactory, settings, false);
	}

	private RabbitMqEventBusAdapter(CachingConnectionFactory connectionFactory, RabbitMqAdapterSettings settings,
			boolean ownsConnectionFactory) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
		this.ownsConnectionFactory = ownsConnectionFactory;
		this.settings = Objects.requireNonNull(settings, "settings");
		if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
			throw new IllegalArgumentException("The RabbitMQ adapter needs a connection factory with correlated "
					+ "publisher confirms and publisher returns (setPublisherConfirmType(ConfirmType.CORRELATED), "
					+ "setPublisherReturns(true)), to know that each publish was stored and routed");
		}
		this.failures = new RabbitMqFailures(connectionFactory);
		this.admin = new RabbitAdmin(connectionFactory);
		this.topology = new RabbitMqTopology(this.admin, settings, this.failures);
		this.template = new RabbitTemplate(connectionFactory);
		this.template.setMandatory(true);
		this.template.setUsePublisherConnection(true);
		this.template.setReturnsCallback((returned) -> logger
			.debug("Unroutable message returned by RabbitMQ: " + returned.getReplyText() + " on exchange '"
					+ returned.getExchange() + "' with routing key '" + returned.getRoutingKey() + "'"));
		this.publisher = new RabbitMqPublisher(this.template, this.topology, this.mapping, this.failures,
				settings.confirmTimeout());
		this.deadLetterStore = new RabbitMqDeadLetterStore(new RabbitTemplate(connectionFactory), this.admin,
				this.mapping, this.failures);
		this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("eventbus-rabbitmq-scheduler"));
		this.io = Executors.newCachedThreadPool(daemon("eventbus-rabbitmq-io"));
	}

	/**
	 * Create an adapter that owns its connection factory: it turns on correlated
	 * publisher confirms and publisher returns, and destroys the factory when closed. For
	 * a factory made for the bus alone, as the auto-configuration makes one.
	 * @param connectionFactory a connection factory no channel was created on yet
	 * @param settings what the bus adds
	 * @return the adapter
	 */
	public static RabbitMqEventBusAdapter create(CachingConnectionFactory connectionFactory,
			RabbitMqAdapterSettings settings) {
		connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		connectionFactory.setPublisherReturns(true);
		return new RabbitMqEventBusAdapter(connectionFactory, settings, true);
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * The settings this adapter runs with.
	 * @return the settings
	 */
	public RabbitMqAdapterSettings settings() {
		return this.settings;
	}

	/**
	 * Persistent, with consumer groups and redelivery of unsettled messages, structured
	 * content mode; ordered per key when the settings ask for it.
	 * @return the capabilities
	 */
	@Override
	public AdapterCapabilities capabilities() {
		return new AdapterCapabilities(true, true, this.settings.orderedPerKey(), true, ContentMode.STRUCTURED);
	}

	/**
	 * Publish a message to its destination's exchange, with the event type as routing
	 * key.
	 * @param message the message
	 * @return a future completed once RabbitMQ confirmed and routed the message, or
	 * exceptionally with a {@link dev.eventbus.api.PublishException}
	 */
	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		return this.publisher.send(message);
	}

	/**
	 * Declare the group's queue and its bindings, then consume it.
	 * @param spec what to receive
	 * @param listener the listener
	 * @return the subscription, running once its queue is declared
	 * @throws dev.eventbus.api.EventBusException if RabbitMQ refused the credentials
	 */
	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		if (this.closed.get()) {
			throw new IllegalStateException("RabbitMQ adapter is closed");
		}
		RabbitMqSubscription subscription = new RabbitMqSubscription(spec, listener, this.connectionFactory, this.admin,
				this.topology, this.mapping, this.failures, this.settings, this.scheduler, this.io);
		subscription.start();
		this.subscriptions.add(subscription);
		return subscription;
	}

	/**
	 * Checks the connection with a short operation on a channel (the broker's version),
	 * bounded by the request timeout, and the state of each subscription.
	 * @return the health
	 */
	@Override
	public AdapterHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("broker", this.failures.broker());
		details.put("orderedPerKey", this.settings.orderedPerKey());
		Map<String, String> states = new LinkedHashMap<>();
		boolean failed = false;
		for (RabbitMqSubscription subscription : this.subscriptions) {
			SubscriptionState state = subscription.state();
			if (state != SubscriptionState.STOPPED) {
				states.put(subscription.spec().name(), state.name());
				failed |= state == SubscriptionState.FAILED;
			}
		}
		details.put("subscriptions", states);
		if (this.closed.get()) {
			return AdapterHealth.down("adapter closed", details);
		}
		try {
			details.put("version", probe().get(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return AdapterHealth.down("interrupted", details);
		}
		catch (Exception ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return AdapterHealth.down((ex instanceof TimeoutException) ? "RabbitMQ at " + this.failures.broker()
					+ " did not answer within " + this.settings.requestTimeout().toMillis() + "ms"
					: this.failures.describe(cause), details);
		}
		return failed ? AdapterHealth.down("a subscription failed", details) : AdapterHealth.up(details);
	}

	/**
	 * The check of the connection, one at a time: a check still running is waited for
	 * again rather than started twice.
	 */
	private CompletableFuture<String> probe() {
		synchronized (this.probing) {
			CompletableFuture<String> current = this.probe;
			if (current == null || current.isDone()) {
				current = CompletableFuture.supplyAsync(() -> this.template
					.execute((channel) -> String.valueOf(channel.getConnection().getServerProperties().get("version"))),
						this.io);
				this.probe = current;
			}
			return current;
		}
	}

	@Override
	public Optional<DeadLetterStore> deadLetterStore() {
		return Optional.of(this.deadLetterStore);
	}

	/**
	 * Close the subscriptions still open without draining, wait for the confirms of the
	 * sends accepted (up to the confirm timeout) and stop the adapter's threads; the
	 * connection factory stays open unless the adapter was {@link #create created} with
	 * it.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		for (RabbitMqSubscription subscription : this.subscriptions) {
			subscription.close(Duration.ZERO);
		}
		this.publisher.close(this.settings.confirmTimeout());
		this.scheduler.shutdownNow();
		this.io.shutdownNow();
		if (this.ownsConnectionFactory) {
			this.connectionFactory.destroy();
		}
	}

	@Override
	public String toString() {
		return "RabbitMqEventBusAdapter[" + this.failures.broker() + ", " + this.settings + ", subscriptions="
				+ this.subscriptions.size() + ", closed=" + this.closed.get() + "]";
	}

}
