package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import dev.eventbus.api.EventBusException;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.ConsumeOkEvent;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.ListenerContainerConsumerFailedEvent;
import org.springframework.amqp.rabbit.listener.MissingQueueEvent;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * A consumer group's subscription: the group's queue, declared with its bindings before
 * the subscription counts as running, read by a {@link DirectMessageListenerContainer}
 * with one consumer, manual acknowledgement and a prefetch of at least twice the
 * subscription's capacity; each message goes to a {@link RabbitMqDispatcher}. The
 * container restarts its consumer after a lost connection every
 * {@link RabbitMqAdapterSettings#recoveryInterval()}; meanwhile the subscription is
 * {@link SubscriptionState#RECONNECTING}, and a queue found missing is declared again.
 * When the broker cannot be reached at subscribe, the subscription declares and starts in
 * the background. Closing stops handing out deliveries, waits for those with the
 * listener, then stops the container, whose channel closing gives everything unsettled
 * back to the queue. Thread safe.
 */
final class RabbitMqSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(RabbitMqSubscription.class);

	/**
	 * The longest wait for the broker to confirm that the consumer was cancelled, before
	 * its channel is closed anyway: the deliveries with the listener were drained before.
	 */
	private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(2);

	private final SubscriptionSpec spec;

	private final String queue;

	private final RabbitMqTopology topology;

	private final RabbitMqMessageMapping mapping;

	private final RabbitMqFailures failures;

	private final RabbitMqAdapterSettings settings;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService io;

	private final RabbitMqDispatcher dispatcher;

	private final DirectMessageListenerContainer container;

	private final RabbitMqQueueDepth depth;

	private final AtomicReference<SubscriptionState> state = new AtomicReference<>(SubscriptionState.STARTING);

	private final AtomicLong received = new AtomicLong();

	private final Object lifecycle = new Object();

	RabbitMqSubscription(SubscriptionSpec spec, DeliveryListener listener, ConnectionFactory connectionFactory,
			RabbitAdmin admin, RabbitMqTopology topology, RabbitMqMessageMapping mapping, RabbitMqFailures failures,
			RabbitMqAdapterSettings settings, ScheduledExecutorService scheduler, ExecutorService io) {
		this.spec = spec;
		this.queue = RabbitMqTopology.groupQueue(spec.destination(), spec.group());
		this.topology = topology;
		this.mapping = mapping;
		this.failures = failures;
		this.settings = settings;
		this.scheduler = scheduler;
		this.io = io;
		this.dispatcher = new RabbitMqDispatcher(spec, listener, settings.orderedPerKey(), scheduler);
		this.depth = new RabbitMqQueueDepth(admin, this.queue, io);
		this.container = container(connectionFactory);
	}

	private DirectMessageListenerContainer container(ConnectionFactory connectionFactory) {
		DirectMessageListenerContainer listenerContainer = new DirectMessageListenerContainer(connectionFactory);
		listenerContainer.setBeanName("eventbus-" + this.spec.name());
		listenerContainer.setQueueNames(this.queue);
		listenerContainer.setConsumersPerQueue(1);
		listenerContainer.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		listenerContainer.setPrefetchCount(this.settings.prefetchFor(this.spec.capacity()));
		listenerContainer.setMissingQueuesFatal(false);
		listenerContainer.setShutdownTimeout(CANCEL_TIMEOUT.toMillis());
		listenerContainer.setMonitorInterval(this.settings.recoveryInterval().toMillis());
		listenerContainer.setFailedDeclarationRetryInterval(this.settings.recoveryInterval().toMillis());
		listenerContainer.setMessageListener((ChannelAwareMessageListener) this::onMessage);
		listenerContainer.setApplicationEventPublisher(this::onContainerEvent);
		listenerContainer.afterPropertiesSet();
		return listenerContainer;
	}

	/**
	 * Declare the group's queue and start consuming; when the broker cannot be reached,
	 * go on trying in the background.
	 * @throws EventBusException if the broker refused the credentials
	 */
	void start() {
		try {
			this.topology.declareSubscription(this.spec);
		}
		catch (EventBusException ex) {
			if (ex.getCause() instanceof AmqpAuthenticationException) {
				this.state.set(SubscriptionState.FAILED);
				throw ex;
			}
			logger.warn("Subscription " + this.spec.name() + " cannot declare its queue yet; it keeps trying every "
					+ this.settings.recoveryInterval().toMillis() + "ms: " + ex.getMessage());
			this.state.set(SubscriptionState.RECONNECTING);
			scheduleStart();
			return;
		}
		startContainer();
	}

	private void scheduleStart() {
		try {
			this.scheduler.schedule(() -> this.io.execute(this::startInBackground),
					this.settings.recoveryInterval().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Adapter closed before subscription " + this.spec.name() + " started", ex);
		}
	}

	private void startInBackground() {
		if (isClosing()) {
			return;
		}
		try {
			this.topology.declareSubscription(this.spec);
		}
		catch (RuntimeException ex) {
			logger.debug("Subscription " + this.spec.name() + " still cannot declare its queue", ex);
			scheduleStart();
			return;
		}
		startContainer();
		logger.info("Subscription " + this.spec.name() + " started");
	}

	private void startContainer() {
		synchronized (this.lifecycle) {
			if (isClosing()) {
				return;
			}
			this.container.start();
			this.state.compareAndSet(SubscriptionState.STARTING, SubscriptionState.RUNNING);
			this.state.compareAndSet(SubscriptionState.RECONNECTING, SubscriptionState.RUNNING);
		}
	}

	private void onMessage(Message message, @Nullable Channel channel) {
		if (channel == null) {
			throw new IllegalStateException("Subscription " + this.spec.name() + " needs the consumer's channel");
		}
		MessageProperties properties = message.getMessageProperties();
		byte[] body = message.getBody();
		Map<String, String> headers = this.mapping.headers(properties);
		this.dispatcher.accept(new RabbitMqDelivery(this.spec.destination(), channel, properties.getDeliveryTag(),
				RabbitMqMessageMapping.messageId(properties, body), this.mapping.key(properties, headers, body),
				headers, body, RabbitMqMessageMapping.returns(properties) + 1, this.received.incrementAndGet(),
				this.dispatcher));
	}

	private void onContainerEvent(Object event) {
		if (isClosing()) {
			return;
		}
		if (event instanceof ConsumeOkEvent) {
			this.state.compareAndSet(SubscriptionState.RECONNECTING, SubscriptionState.RUNNING);
		}
		else if (event instanceof MissingQueueEvent) {
			this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.RECONNECTING);
			redeclare();
		}
		else if (event instanceof ListenerContainerConsumerFailedEvent failed) {
			if (this.state.compareAndSet(SubscriptionState.RUNNING, SubscriptionState.RECONNECTING)) {
				logger.warn("Subscription " + this.spec.name() + " lost its consumer and reconnects: "
						+ ((failed.getThrowable() != null) ? this.failures.describe(failed.getThrowable())
								: failed.getReason()));
			}
		}
	}

	private void redeclare() {
		try {
			this.io.execute(() -> {
				try {
					this.topology.declareSubscription(this.spec);
					logger.warn("Queue " + this.queue + " of subscription " + this.spec.name()
							+ " was missing; it was declared again");
				}
				catch (RuntimeException ex) {
					logger.debug("Could not declare queue " + this.queue + " again", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Adapter closed", ex);
		}
	}

	@Override
	public SubscriptionSpec spec() {
		return this.spec;
	}

	@Override
	public SubscriptionState state() {
		return this.state.get();
	}

	/**
	 * The group's queue, {@code lag} (messages ready in it, read in the background) and
	 * {@code pending} (messages this subscription holds unacknowledged: with its
	 * handlers, waiting for their key or for a retry).
	 * @return the figures
	 */
	@Override
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("queue", this.queue);
		long ready = this.depth.ready();
		if (ready >= 0) {
			details.put("lag", ready);
		}
		details.put("pending", this.dispatcher.unacknowledged());
		return details;
	}

	/**
	 * Bind the group's queue with the binding keys of the new patterns too.
	 * @param types type patterns of the handler that joined
	 * @throws EventBusException if the broker cannot be reached or refuses
	 */
	@Override
	public void addTypes(List<String> types) {
		this.topology.bind(this.spec.destination(), this.queue, types);
	}

	@Override
	public void close(Duration drainTimeout) {
		synchronized (this.lifecycle) {
			SubscriptionState current = this.state.get();
			if (current == SubscriptionState.STOPPING || current == SubscriptionState.STOPPED) {
				return;
			}
			this.state.set(SubscriptionState.STOPPING);
		}
		this.dispatcher.close();
		if (!this.dispatcher.awaitSettled(drainTimeout)) {
			logger.debug("Subscription " + this.spec.name() + " closes with deliveries unsettled after "
					+ drainTimeout.toMillis() + "ms; RabbitMQ delivers them again");
		}
		try {
			this.container.stop();
			this.container.destroy();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not stop the listener container of " + this.spec.name(), ex);
		}
		this.dispatcher.shutdown();
		this.state.set(SubscriptionState.STOPPED);
	}

	private boolean isClosing() {
		SubscriptionState current = this.state.get();
		return current == SubscriptionState.STOPPING || current == SubscriptionState.STOPPED;
	}

	@Override
	public String toString() {
		return "RabbitMqSubscription[" + this.spec.name() + ", queue=" + this.queue + ", state=" + this.state.get()
				+ "]";
	}

}
