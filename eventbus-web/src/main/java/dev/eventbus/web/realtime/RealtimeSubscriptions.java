package dev.eventbus.web.realtime;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.HandlerRegistration;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.runtime.SubscribeOptions;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.web.realtime.Push.Audience;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.MapAccessor;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * The bridge's subscriptions on the bus: one per instance to the pushes (a consumer group
 * of the instance's own, so that every instance gets every push), and one per forwarding
 * rule in the application's group (so that each event is forwarded once, whichever
 * instance handles it).
 */
public final class RealtimeSubscriptions implements AutoCloseable {

	/** Pushes are delivered once, now or never: a client that missed one reconnects. */
	private static final RetrySettings NO_RETRY = new RetrySettings(0, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO);

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private static final MapAccessor MAP_ACCESSOR = new MapAccessor();

	private final List<HandlerRegistration> registrations = new ArrayList<>();

	private final RealtimeBridge bridge;

	private final RealtimeClients clients;

	private final Duration maxAge;

	/**
	 * Subscribe the bridge.
	 * @param bus the bus
	 * @param bridge pushes the forwarded events
	 * @param clients the clients of this instance
	 * @param destination the destination of pushes
	 * @param instanceId this instance's id, part of its consumer group
	 * @param maxAge pushes older than this are not delivered (a new instance's group may
	 * start from older pushes)
	 * @param rules the forwarding rules
	 * @throws IllegalStateException if the adapter cannot give every instance every push
	 */
	public RealtimeSubscriptions(EventBus bus, RealtimeBridge bridge, RealtimeClients clients, String destination,
			String instanceId, Duration maxAge, List<ForwardingRule> rules) {
		this.bridge = bridge;
		this.clients = clients;
		this.maxAge = maxAge;
		requireFanOut(bus.adapter().name(), bus.adapter().capabilities());
		this.registrations.add(bus.subscribe(Push.TYPE, Push.class, (event) -> deliver(event.payload()),
				SubscribeOptions.DEFAULTS.withId("realtime-delivery")
					.withGroup("eventbus-realtime." + instanceId)
					.withDestinations(destination)
					.withRetry(NO_RETRY)
					.withDeadLetter(false)));
		for (int index = 0; index < rules.size(); index++) {
			ForwardingRule rule = rules.get(index);
			Expression room = parse(rule.room());
			Expression user = parse(rule.user());
			for (String types : rule.types()) {
				this.registrations.add(bus.subscribe(types, Map.class, (event) -> forward(event, room, user, rule),
						SubscribeOptions.DEFAULTS.withId("realtime-forward-" + index + "-" + types)));
			}
		}
	}

	private static void requireFanOut(String adapter, AdapterCapabilities capabilities) {
		boolean groupsAreIndependent = capabilities.consumerGroups();
		boolean everySubscriberGetsEverything = !capabilities.consumerGroups() && !capabilities.persistent();
		if (!groupsAreIndependent && !everySubscriberGetsEverything) {
			throw new IllegalStateException("The real-time bridge needs every instance to get every push, which the '"
					+ adapter + "' adapter cannot do (its consumer groups are not independent); turn "
					+ "eventbus.realtime.enabled off or use an adapter with consumer groups");
		}
	}

	private void deliver(Push push) {
		Instant time = time(push);
		if (time != null && time.isBefore(Instant.now().minus(this.maxAge))) {
			return;
		}
		this.clients.deliver(push);
	}

	private static @Nullable Instant time(Push push) {
		try {
			String time = push.event().path("time").asString("");
			return time.isEmpty() ? null : Instant.parse(time);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private void forward(Event<Map> event, @Nullable Expression room, @Nullable Expression user, ForwardingRule rule) {
		if (room != null) {
			String name = evaluate(room, event);
			if (name != null) {
				this.bridge.forward(event, Audience.ROOM, name);
			}
		}
		if (user != null) {
			String name = evaluate(user, event);
			if (name != null) {
				this.bridge.forward(event, Audience.USER, name);
			}
		}
		if (rule.broadcast()) {
			this.bridge.forward(event, Audience.BROADCAST, null);
		}
	}

	private static @Nullable Expression parse(@Nullable String expression) {
		return (expression != null) ? PARSER.parseExpression(expression) : null;
	}

	private static @Nullable String evaluate(Expression expression, Event<?> event) {
		StandardEvaluationContext context = new StandardEvaluationContext(event);
		context.addPropertyAccessor(MAP_ACCESSOR);
		Object value = expression.getValue(context);
		return (value != null) ? value.toString() : null;
	}

	@Override
	public void close() {
		this.registrations.forEach(HandlerRegistration::close);
	}

}
