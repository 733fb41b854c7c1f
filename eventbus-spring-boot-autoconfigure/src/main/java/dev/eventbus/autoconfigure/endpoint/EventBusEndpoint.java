package dev.eventbus.autoconfigure.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.DeadLetters;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusStatistics;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.SubscriptionState;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} {@code eventbus}: the adapter, routes, handlers,
 * subscriptions and counts of the bus, and the dead letters of each subscribed
 * destination, which it can replay and purge. Shows no configuration property values.
 * Replay and purge change state, so the endpoint's access is read-only unless
 * {@code management.endpoint.eventbus.access=unrestricted}.
 * <p>
 * Destinations are the original destinations (for example {@code orders}), and only
 * destinations a handler subscribes to are accepted: an operation on any other returns
 * {@code null} (404 over HTTP). Thread safe.
 */
@Endpoint(id = "eventbus", defaultAccess = Access.READ_ONLY)
public class EventBusEndpoint {

	/** Most dead letters listed per destination. */
	public static final int DEAD_LETTER_LIMIT = 100;

	private final EventBus eventBus;

	private final List<EventBusEndpointContribution> contributions;

	/**
	 * Create the endpoint.
	 * @param eventBus the bus
	 */
	@Autowired
	public EventBusEndpoint(EventBus eventBus) {
		this(eventBus, List.of());
	}

	/**
	 * Create the endpoint with the parts other modules contribute.
	 * @param eventBus the bus
	 * @param contributions the parts, shown under {@code extensions}
	 */
	public EventBusEndpoint(EventBus eventBus, List<EventBusEndpointContribution> contributions) {
		Assert.notNull(eventBus, "'eventBus' must not be null");
		this.eventBus = eventBus;
		this.contributions = List.copyOf(contributions);
	}

	/**
	 * Describe the bus.
	 * @return the description
	 */
	@ReadOperation
	public EventBusDescriptor eventBus() {
		EventBusAdapter adapter = this.eventBus.adapter();
		AdapterDescriptor adapterDescriptor = new AdapterDescriptor(adapter.name(), adapter.capabilities(),
				adapter.deadLetterStore().isPresent());
		List<HandlerDescriptor> handlers = this.eventBus.handlers().stream().map(HandlerDescriptor::of).toList();
		List<SubscriptionDescriptor> subscriptions = this.eventBus.subscriptions()
			.stream()
			.map((view) -> SubscriptionDescriptor.of(view, this.eventBus.statistics()))
			.toList();
		Map<String, Object> extensions = new LinkedHashMap<>();
		this.contributions.forEach((contribution) -> extensions.put(contribution.name(), contribution.describe()));
		return new EventBusDescriptor(adapterDescriptor, this.eventBus.router().defaultDestination(),
				this.eventBus.router().routes(), handlers, subscriptions,
				CountsDescriptor.of(this.eventBus.statistics()), this.eventBus.typeRegistry().describe(), extensions);
	}

	/**
	 * List the oldest dead letters of a destination, at most {@value #DEAD_LETTER_LIMIT}.
	 * @param destination the original destination
	 * @return the dead letters, or {@code null} when no handler subscribes to the
	 * destination
	 */
	@ReadOperation
	public @Nullable DeadLettersDescriptor deadLetters(@Selector String destination) {
		if (!isSubscribed(destination)) {
			return null;
		}
		return new DeadLettersDescriptor(destination, deadLetters().list(destination, DEAD_LETTER_LIMIT));
	}

	/**
	 * Replay one dead letter of a destination, or all of them: each is published again,
	 * unchanged, to the destination it failed on, then removed.
	 * @param destination the original destination
	 * @param id the id of the dead letter to replay, or {@code null} for all
	 * @return how many were replayed; 404 when no handler subscribes to the destination
	 */
	@WriteOperation
	public WebEndpointResponse<ReplayDescriptor> replay(@Selector String destination, @Nullable String id) {
		if (!isSubscribed(destination)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int replayed = (id != null) ? (deadLetters().replay(destination, id) ? 1 : 0)
				: deadLetters().replayAll(destination);
		return new WebEndpointResponse<>(new ReplayDescriptor(destination, replayed));
	}

	/**
	 * Remove every dead letter of a destination.
	 * @param destination the original destination
	 * @return how many were removed; 404 when no handler subscribes to the destination
	 */
	@DeleteOperation
	public WebEndpointResponse<PurgeDescriptor> purge(@Selector String destination) {
		if (!isSubscribed(destination)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(new PurgeDescriptor(destination, deadLetters().purge(destination)));
	}

	private boolean isSubscribed(String destination) {
		return deadLetters().destinations().contains(destination);
	}

	private DeadLetters deadLetters() {
		return this.eventBus.deadLetters();
	}

	/**
	 * Description of the bus.
	 *
	 * @param adapter the adapter
	 * @param defaultDestination destination of types no route matches
	 * @param routes type pattern to destination, in the order they are tried
	 * @param handlers the registered handlers
	 * @param subscriptions the open subscriptions
	 * @param counts running counts
	 * @param types registered event types with the classes they convert into
	 * @param extensions parts contributed by other modules, by name
	 */
	public record EventBusDescriptor(AdapterDescriptor adapter, String defaultDestination, Map<String, String> routes,
			List<HandlerDescriptor> handlers, List<SubscriptionDescriptor> subscriptions, CountsDescriptor counts,
			Map<String, List<String>> types, Map<String, Object> extensions) {

	}

	/**
	 * Description of the adapter.
	 *
	 * @param name the adapter name
	 * @param capabilities what it guarantees
	 * @param deadLetterStore whether dead letters can be listed, replayed and purged
	 */
	public record AdapterDescriptor(String name, AdapterCapabilities capabilities, boolean deadLetterStore) {

	}

	/**
	 * Description of a handler.
	 *
	 * @param id the handler id
	 * @param bean the bean declaring it
	 * @param method the method signature
	 * @param types the type patterns it receives
	 * @param group the consumer group
	 * @param destinations the destinations it subscribes to
	 * @param concurrency events handled in parallel
	 * @param retry the retry policy
	 * @param deadLetter whether exhausted events are dead-lettered
	 * @param condition the SpEL condition, or {@code null}
	 * @param timeout the longest a handling may run (ISO-8601), or {@code null}
	 * @param isolated whether it has a subscription of its own
	 * @param batch for a batch handler, its maximum batch size and wait; {@code null}
	 * otherwise
	 * @param idempotent whether it applies each event once through the inbox
	 */
	public record HandlerDescriptor(String id, @Nullable String bean, String method, List<String> types, String group,
			List<String> destinations, int concurrency, RetryDescriptor retry, boolean deadLetter,
			@Nullable String condition, @Nullable String timeout, boolean isolated, @Nullable BatchDescriptor batch,
			boolean idempotent) {

		static HandlerDescriptor of(HandlerInfo handler) {
			return new HandlerDescriptor(handler.id(), handler.beanName(), handler.method(), handler.types(),
					handler.group(), handler.destinations(), handler.concurrency(), RetryDescriptor.of(handler.retry()),
					handler.deadLetter(), handler.condition(),
					(handler.timeout() != null) ? handler.timeout().toString() : null, handler.isolated(),
					(handler.batch() != null)
							? new BatchDescriptor(handler.batch().maxSize(), handler.batch().maxWait().toString())
							: null,
					handler.idempotent());
		}

	}

	/**
	 * How a batch handler's batches are formed.
	 *
	 * @param maxSize the most events in a batch
	 * @param maxWait the longest wait for a batch to fill (ISO-8601)
	 */
	public record BatchDescriptor(int maxSize, String maxWait) {
	}

	/**
	 * Description of a retry policy; durations in ISO-8601.
	 *
	 * @param maxRetries deliveries after the first before dead-lettering
	 * @param delay delay before the first retry
	 * @param multiplier factor applied to the delay after each failure
	 * @param maxDelay upper bound of the delay
	 * @param jitter random amount added to or subtracted from each delay
	 */
	public record RetryDescriptor(long maxRetries, String delay, double multiplier, String maxDelay, String jitter) {

		static RetryDescriptor of(RetrySettings retry) {
			return new RetryDescriptor(retry.maxRetries(), retry.delay().toString(), retry.multiplier(),
					retry.maxDelay().toString(), retry.jitter().toString());
		}

	}

	/**
	 * Description of a subscription: the handlers of one consumer group on one
	 * destination.
	 *
	 * @param name the subscription's name, {@code <group>@<destination>}
	 * @param destination the destination
	 * @param group the consumer group on the broker
	 * @param state its state
	 * @param details figures the adapter reports, such as lag
	 * @param handlers the counts of each of its handlers, by handler id
	 */
	public record SubscriptionDescriptor(String name, String destination, String group, SubscriptionState state,
			Map<String, Object> details, Map<String, HandlerCountsDescriptor> handlers) {

		static SubscriptionDescriptor of(SubscriptionView view, EventBusStatistics statistics) {
			Map<String, HandlerCountsDescriptor> handlers = new LinkedHashMap<>();
			view.handlers().forEach((id) -> handlers.put(id, HandlerCountsDescriptor.of(statistics, id)));
			return new SubscriptionDescriptor(view.name(), view.destination(), view.group(), view.state(),
					view.details(), handlers);
		}

	}

	/**
	 * Counts since start-up.
	 *
	 * @param published events the adapter accepted
	 * @param publishFailed events the adapter did not accept
	 * @param received deliveries received by handlers taking their type
	 * @param handled deliveries handlers completed
	 * @param failed handler invocations that threw
	 * @param retried deliveries given back for another attempt
	 * @param deadLettered deliveries written to dead-letter destinations
	 * @param skipped deliveries acknowledged without invocation
	 * @param handlers the counts of each handler, by handler id
	 */
	public record CountsDescriptor(long published, long publishFailed, long received, long handled, long failed,
			long retried, long deadLettered, long skipped, Map<String, HandlerCountsDescriptor> handlers) {

		static CountsDescriptor of(EventBusStatistics statistics) {
			Map<String, HandlerCountsDescriptor> handlers = new TreeMap<>();
			for (String handlerId : statistics.perHandler().keySet()) {
				handlers.put(handlerId, HandlerCountsDescriptor.of(statistics, handlerId));
			}
			return new CountsDescriptor(statistics.publishedCount(), statistics.publishFailedCount(),
					statistics.receivedCount(), statistics.handledCount(), statistics.failedCount(),
					statistics.retriedCount(), statistics.deadLetteredCount(), statistics.skippedCount(), handlers);
		}

	}

	/**
	 * Counts of one handler since start-up.
	 *
	 * @param received deliveries received whose type the handler takes
	 * @param handled deliveries the handler completed
	 * @param failed invocations that threw
	 * @param retried deliveries given back for another attempt
	 * @param deadLettered deliveries written to the dead-letter destination
	 * @param skipped deliveries acknowledged without invocation
	 */
	public record HandlerCountsDescriptor(long received, long handled, long failed, long retried, long deadLettered,
			long skipped) {

		static HandlerCountsDescriptor of(EventBusStatistics statistics, String handlerId) {
			return new HandlerCountsDescriptor(statistics.count(handlerId, Counter.RECEIVED),
					statistics.count(handlerId, Counter.HANDLED), statistics.count(handlerId, Counter.FAILED),
					statistics.count(handlerId, Counter.RETRIED), statistics.count(handlerId, Counter.DEAD_LETTERED),
					statistics.count(handlerId, Counter.SKIPPED));
		}

	}

	/**
	 * Dead letters of a destination.
	 *
	 * @param destination the original destination
	 * @param deadLetters the dead letters, oldest first
	 */
	public record DeadLettersDescriptor(String destination, List<DeadLetter> deadLetters) {

	}

	/**
	 * Outcome of a replay.
	 *
	 * @param destination the original destination
	 * @param replayed how many dead letters were published again
	 */
	public record ReplayDescriptor(String destination, int replayed) {

	}

	/**
	 * Outcome of a purge.
	 *
	 * @param destination the original destination
	 * @param purged how many dead letters were removed
	 */
	public record PurgeDescriptor(String destination, int purged) {

	}

}
