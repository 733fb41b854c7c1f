package dev.eventbus.rabbitmq;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.api.EventBusException;
import dev.eventbus.spi.SubscriptionSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares what the adapter uses, with a {@link RabbitAdmin}:
 * <ul>
 * <li>a durable topic exchange per destination, named as the destination, on the first
 * send to it or subscription of it;</li>
 * <li>a durable quorum queue per consumer group, {@code <destination>.<group>}, bound
 * with the group's {@link BindingKeys binding keys}, with a delivery limit and the
 * dead-letter exchange {@code <destination>.dlq}, and single active consumer when ordered
 * per key;</li>
 * <li>for every dead-letter destination (a subscribed destination's, or any destination
 * ending in the dead-letter suffix that is sent to): its exchange and a durable classic
 * queue of the same name bound with {@code #}, which keeps its messages for the
 * dead-letter store.</li>
 * </ul>
 * Declarations are idempotent; destinations already declared are remembered. A
 * declaration the broker refuses because the queue or exchange exists with other
 * arguments, or because the user may not configure it, is logged as a warning once and
 * the existing one used: teams that declare the topology themselves can. Thread safe.
 */
final class RabbitMqTopology {

	private static final Log logger = LogFactory.getLog(RabbitMqTopology.class);

	private final RabbitAdmin admin;

	private final RabbitMqAdapterSettings settings;

	private final RabbitMqFailures failures;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	RabbitMqTopology(RabbitAdmin admin, RabbitMqAdapterSettings settings, RabbitMqFailures failures) {
		this.admin = admin;
		this.settings = settings;
		this.failures = failures;
	}

	/**
	 * The queue of a consumer group.
	 * @param destination the destination
	 * @param group the group, as the runtime names it
	 * @return {@code <destination>.<group>}
	 */
	static String groupQueue(String destination, String group) {
		return destination + "." + group;
	}

	String deadLetterDestination(String destination) {
		return destination + this.settings.deadLetterSuffix();
	}

	boolean isDeadLetterDestination(String destination) {
		return destination.endsWith(this.settings.deadLetterSuffix());
	}

	/**
	 * Declare a destination's exchange, and for a dead-letter destination its queue,
	 * once.
	 * @param destination the destination
	 * @throws EventBusException if the broker cannot be reached or refuses
	 */
	void ensureDestination(String destination) {
		if (this.declared.contains(destination)) {
			return;
		}
		declare("exchange '" + destination + "'",
				() -> this.admin.declareExchange(new TopicExchange(destination, true, false)));
		if (isDeadLetterDestination(destination)) {
			declare("queue '" + destination + "'",
					() -> this.admin.declareQueue(new Queue(destination, true, false, false)));
			bind(destination, destination, BindingKeys.ALL);
		}
		this.declared.add(destination);
	}

	/**
	 * Forget that a destination was declared, so that the next send declares it again:
	 * after the broker reported its exchange missing.
	 * @param destination the destination
	 */
	void forget(String destination) {
		this.declared.remove(destination);
	}

	/**
	 * Declare everything a subscription needs: its destination, the destination's
	 * dead-letter destination, and the group's queue with its bindings.
	 * @param spec the subscription
	 * @throws EventBusException if the broker cannot be reached or refuses
	 */
	void declareSubscription(SubscriptionSpec spec) {
		String destination = spec.destination();
		String deadLetters = deadLetterDestination(destination);
		ensureDestination(destination);
		ensureDestination(deadLetters);
		String queue = groupQueue(destination, spec.group());
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-queue-type", "quorum");
		arguments.put("x-delivery-limit", this.settings.deliveryLimit());
		arguments.put("x-dead-letter-exchange", deadLetters);
		if (this.settings.orderedPerKey()) {
			arguments.put("x-single-active-consumer", true);
		}
		declare("queue '" + queue + "'",
				() -> this.admin.declareQueue(new Queue(queue, true, false, false, arguments)));
		bind(destination, queue, spec.types());
	}

	/**
	 * Bind a group's queue with the binding keys of type patterns.
	 * @param destination the destination
	 * @param queue the group's queue
	 * @param patterns the type patterns
	 * @throws EventBusException if the broker cannot be reached or refuses
	 */
	void bind(String destination, String queue, Collection<String> patterns) {
		for (String key : BindingKeys.of(patterns)) {
			bind(destination, queue, key);
		}
	}

	private void bind(String destination, String queue, String key) {
		declare("binding of queue '" + queue + "' to '" + destination + "' with '" + key + "'", () -> this.admin
			.declareBinding(new Binding(queue, Binding.DestinationType.QUEUE, destination, key, null)));
	}

	private void declare(String what, Runnable declaration) {
		try {
			declaration.run();
		}
		catch (AmqpException ex) {
			int code = RabbitMqFailures.replyCode(ex);
			if (code != RabbitMqFailures.PRECONDITION_FAILED && code != RabbitMqFailures.ACCESS_REFUSED) {
				throw new EventBusException("Could not declare " + what + " on RabbitMQ: " + this.failures.describe(ex),
						ex);
			}
			if (this.warned.add(what)) {
				logger.warn("RabbitMQ refused to declare " + what + " (" + this.failures.describe(ex)
						+ "); using it as it exists. See docs/adapters/rabbitmq.md for the topology the adapter "
						+ "expects");
			}
		}
	}

}
