package dev.eventbus.rabbitmq;

import java.util.ConcurrentModificationException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * An application instance of the tests: a {@link RabbitMqEventBusAdapter} on a connection
 * factory of its own, destroyed with it, recording the queues and exchanges it used so
 * that the test can delete them from a shared broker.
 */
final class TestInstance extends ForwardingEventBusAdapter {

	private final CachingConnectionFactory connectionFactory;

	private final Set<String> queues;

	private final Set<String> exchanges;

	private final String deadLetterSuffix;

	/**
	 * Create an instance.
	 * @param broker the broker
	 * @param settings the adapter's settings
	 * @param queues where the queues it uses are recorded
	 * @param exchanges where the exchanges it uses are recorded
	 */
	TestInstance(RabbitMqBroker broker, RabbitMqAdapterSettings settings, Set<String> queues, Set<String> exchanges) {
		this(broker.connectionFactory(), settings, queues, exchanges);
	}

	private TestInstance(CachingConnectionFactory connectionFactory, RabbitMqAdapterSettings settings,
			Set<String> queues, Set<String> exchanges) {
		super(new RabbitMqEventBusAdapter(connectionFactory, settings));
		this.connectionFactory = connectionFactory;
		this.queues = queues;
		this.exchanges = exchanges;
		this.deadLetterSuffix = settings.deadLetterSuffix();
	}

	/**
	 * Names of the tests: recorded without a broker.
	 * @return empty sets to record into
	 */
	static Set<String> names() {
		return ConcurrentHashMap.newKeySet();
	}

	RabbitMqEventBusAdapter adapter() {
		return (RabbitMqEventBusAdapter) delegate();
	}

	@Override
	public CompletableFuture<SendResult> send(OutboundMessage message) {
		record(message.destination());
		return super.send(message);
	}

	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		record(spec.destination());
		record(spec.destination() + this.deadLetterSuffix);
		this.queues.add(RabbitMqTopology.groupQueue(spec.destination(), spec.group()));
		return super.subscribe(spec, listener);
	}

	private void record(String destination) {
		this.exchanges.add(destination);
		if (destination.endsWith(this.deadLetterSuffix)) {
			this.queues.add(destination);
		}
	}

	/**
	 * Die: the connections close at once, nothing is acknowledged or drained.
	 */
	void crash() {
		destroyConnections();
		super.close();
	}

	@Override
	public void close() {
		try {
			super.close();
		}
		finally {
			destroyConnections();
		}
	}

	/**
	 * Close the connections. Spring AMQP may still be putting a publisher channel back in
	 * its cache when its last confirm arrived, which its destroy does not guard against;
	 * the connections are closed either way.
	 */
	private void destroyConnections() {
		try {
			this.connectionFactory.destroy();
		}
		catch (ConcurrentModificationException ex) {
			this.connectionFactory.resetConnection();
		}
	}

}
