package dev.eventbus.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.eventbus.api.BatchItemFailedException;
import dev.eventbus.api.BatchResult;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.runtime.DeliveryProgress.EventProgress;
import dev.eventbus.runtime.EventBusObservations.HandleContext;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.HandlerPipeline.Prepared;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.ForwardingDelivery;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The listener of a batch handler's subscription, which it has to itself. Each delivery
 * of a batch is decoded (one that cannot be is dead-lettered at once), its payload
 * converted and its condition evaluated as for any handler; the events left are given to
 * the handler in one invocation, inside one {@code eventbus.handle} observation. Then
 * every delivery is settled on its own, by what the handler reported: a success is
 * acknowledged; a failure goes through the {@link FailurePolicy} (retried, then
 * dead-lettered); an item the handler did not reach ({@link BatchItemFailedException}) is
 * given back at once, unhandled. On an ordered subscription the items of a subject after
 * one that is given back are given back with it, with its delay, unhandled, so that they
 * come again in their order. A delivery given back unhandled does not count as an
 * attempt. Never throws. Thread safe.
 */
final class BatchDispatcher implements HandlerDispatcher {

	private static final Log logger = LogFactory.getLog(BatchDispatcher.class);

	private static final Duration UNEXPECTED_FAILURE_DELAY = Duration.ofSeconds(1);

	private final String name;

	private final String group;

	private final JsonEventCodec codec;

	private final HandlerPipeline pipeline;

	private final UnmatchedEvents unmatched;

	private final String source;

	private final boolean ordered;

	private final DeliveryProgress progress = new DeliveryProgress();

	BatchDispatcher(String name, String group, JsonEventCodec codec, HandlerPipeline pipeline,
			UnmatchedEvents unmatched, String source, boolean ordered) {
		this.name = name;
		this.group = group;
		this.codec = codec;
		this.pipeline = pipeline;
		this.unmatched = unmatched;
		this.source = source;
		this.ordered = ordered;
	}

	HandlerDefinition handler() {
		return this.pipeline.handler();
	}

	@Override
	public List<HandlerDefinition> handlers() {
		return List.of(handler());
	}

	@Override
	public void add(HandlerPipeline other) {
		throw new IllegalStateException("Batch handler " + handler().id() + " has a subscription of its own; "
				+ other.handler().id() + " cannot join it");
	}

	@Override
	public boolean remove(HandlerDefinition handler) {
		return handler != handler();
	}

	@Override
	public void onDelivery(Delivery delivery) {
		onBatch(List.of(delivery));
	}

	@Override
	public void onBatch(List<? extends Delivery> deliveries) {
		Verdict[] verdicts = new Verdict[deliveries.size()];
		try {
			dispatch(deliveries, verdicts);
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure dispatching a batch of " + deliveries.size() + " from '"
					+ deliveries.get(0).destination() + "' in subscription " + this.name
					+ "; its unsettled items are delivered again in " + UNEXPECTED_FAILURE_DELAY, ex);
		}
		for (int i = 0; i < verdicts.length; i++) {
			Verdict verdict = (verdicts[i] != null) ? verdicts[i] : Verdict.retry(UNEXPECTED_FAILURE_DELAY);
			if (verdict.retryDelay() != null) {
				deliveries.get(i).retry(verdict.retryDelay());
			}
			else {
				deliveries.get(i).ack();
			}
		}
	}

	private void dispatch(List<? extends Delivery> deliveries, Verdict[] verdicts) {
		List<Item> items = new ArrayList<>(deliveries.size());
		String[] eventIds = new String[verdicts.length];
		for (int i = 0; i < verdicts.length; i++) {
			Item item = prepare(deliveries.get(i), i, verdicts, eventIds);
			if (item != null) {
				items.add(item);
			}
		}
		Map<Integer, Throwable> failures = Map.of();
		int reached = 0;
		if (!items.isEmpty()) {
			Outcomes outcomes = invoke(items);
			failures = outcomes.failures();
			reached = outcomes.reached();
		}
		settleItems(deliveries, items, failures, reached, verdicts);
		for (int i = 0; i < verdicts.length; i++) {
			if (eventIds[i] != null && verdicts[i] != null && verdicts[i].retryDelay() == null) {
				this.progress.forget(eventIds[i]);
			}
		}
	}

	/**
	 * Decode, convert and check one delivery.
	 * @return the item to hand to the handler, or {@code null} when its verdict is set
	 */
	private @Nullable Item prepare(Delivery delivery, int index, Verdict[] verdicts, String[] eventIds) {
		Event<?> event = delivery.event();
		if (event == null) {
			String replayGroup = delivery.headers().get(FailureHeaders.REPLAY_GROUP);
			if (replayGroup != null && !replayGroup.equals(this.group)) {
				verdicts[index] = Verdict.SUCCESS;
				return null;
			}
			try {
				event = this.codec.decodeEnvelope(delivery.headers(), delivery.body(), this.source,
						() -> delivery.destination() + "/" + delivery.messageId());
			}
			catch (EventDecodingException ex) {
				verdicts[index] = this.pipeline.services()
					.failures()
					.undecodable(delivery, this.name, this.group, ex, handler().retry());
				return null;
			}
		}
		String eventId = event.id();
		eventIds[index] = eventId;
		Delivery counted = renumbered(delivery, eventId);
		if (!handler().accepts(event.type())) {
			verdicts[index] = this.unmatched.handle(counted, event, this.name, this.group,
					this.pipeline.services().failures(), handler().retry());
			return null;
		}
		Prepared prepared = this.pipeline.prepare(counted, event, () -> this.progress.start(eventId));
		Event<?> converted = prepared.event();
		if (converted == null) {
			verdicts[index] = prepared.verdict();
			return null;
		}
		return new Item(index, counted, event, converted);
	}

	/**
	 * Invoke the handler with the items, inside one observation.
	 * @return what failed, and how far the handler got
	 */
	private Outcomes invoke(List<Item> items) {
		HandlerInfo info = handler().info();
		HandlerPipeline.Services services = this.pipeline.services();
		this.pipeline.counts().increment(Counter.BATCHES);
		HandleContext context = null;
		Observation observation = Observation.NOOP;
		if (!services.observationRegistry().isNoop()) {
			context = new HandleContext(Map.of(), services.adapterName(), items.get(0).delivery().destination(),
					commonType(items), info.group(), info.id(),
					items.stream().map((item) -> item.event().headers()).toList());
			observation = this.pipeline.startObservation(context);
		}
		Outcomes outcomes;
		try (Observation.Scope scope = observation.openScope()) {
			List<Event<?>> events = items.stream().<Event<?>>map(Item::converted).toList();
			BatchResult result = services.timeouts()
				.call(info.timeout(), () -> handler().invoker().invokeBatch(events));
			Map<Integer, Throwable> failures = (result != null) ? result.failures() : Map.of();
			if (failures.keySet().stream().anyMatch((index) -> index >= items.size())) {
				throw new IllegalStateException("Batch handler " + info.id() + " reported items " + failures.keySet()
						+ " as failed in a batch of " + items.size());
			}
			outcomes = new Outcomes(failures, items.size());
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			observation.error(ex);
			if (ex instanceof BatchItemFailedException stopped && stopped.getIndex() < items.size()) {
				outcomes = new Outcomes(
						Map.of(stopped.getIndex(), Objects.requireNonNullElse(stopped.getCause(), stopped)),
						stopped.getIndex() + 1);
			}
			else {
				Map<Integer, Throwable> failures = new HashMap<>();
				for (int i = 0; i < items.size(); i++) {
					failures.put(i, ex);
				}
				outcomes = new Outcomes(failures, items.size());
			}
		}
		if (context != null) {
			context.setOutcome(outcomes.failures().isEmpty() ? Outcome.SUCCESS.tag() : Outcome.RETRY.tag());
		}
		observation.stop();
		return outcomes;
	}

	/**
	 * Decide each handled item's verdict, in the order of the batch: a success is
	 * acknowledged, a failure goes through the failure policy, an item the handler did
	 * not reach is given back unhandled at once. On an ordered subscription, an item
	 * whose subject has an earlier item given back in this batch is given back too,
	 * unhandled, with that item's delay.
	 */
	private void settleItems(List<? extends Delivery> deliveries, List<Item> items, Map<Integer, Throwable> failures,
			int reached, Verdict[] verdicts) {
		HandlerInfo info = handler().info();
		Map<String, Duration> heldBack = new HashMap<>();
		int position = 0;
		for (int i = 0; i < verdicts.length; i++) {
			String subject = this.ordered ? deliveries.get(i).key() : null;
			Item item = (position < items.size() && items.get(position).index() == i) ? items.get(position) : null;
			if (item == null) {
				holdBackAfter(subject, verdicts[i], heldBack);
				continue;
			}
			int handlerIndex = position++;
			Duration held = (subject != null) ? heldBack.get(subject) : null;
			Verdict verdict;
			if (held != null || handlerIndex >= reached) {
				this.progress.start(item.event().id()).givenBackUnhandled();
				verdict = Verdict.retry((held != null) ? held : Duration.ZERO);
			}
			else if (failures.containsKey(handlerIndex)) {
				Instant firstFailure = this.progress.start(item.event().id()).failed(info.id(), Instant.now());
				verdict = this.pipeline.finish(item.converted(),
						this.pipeline.services()
							.failures()
							.failed(item.delivery(), item.event(), info, this.pipeline.counts(),
									failures.get(handlerIndex), firstFailure));
			}
			else {
				this.pipeline.counts().increment(Counter.HANDLED);
				verdict = this.pipeline.finish(item.converted(), Verdict.SUCCESS);
			}
			verdicts[i] = verdict;
			holdBackAfter(subject, verdict, heldBack);
		}
	}

	private static void holdBackAfter(@Nullable String subject, @Nullable Verdict verdict,
			Map<String, Duration> heldBack) {
		if (subject != null && verdict != null && verdict.retryDelay() != null) {
			heldBack.putIfAbsent(subject, verdict.retryDelay());
		}
	}

	/**
	 * The delivery with the deliveries given back unhandled not counted in its attempt.
	 */
	private Delivery renumbered(Delivery delivery, String eventId) {
		EventProgress progress = this.progress.find(eventId);
		int unhandled = (progress != null) ? progress.unhandledDeliveries() : 0;
		return (unhandled > 0) ? new Renumbered(delivery, Math.max(1, delivery.attempt() - unhandled)) : delivery;
	}

	private static String commonType(List<Item> items) {
		String type = items.get(0).event().type();
		for (Item item : items) {
			if (!item.event().type().equals(type)) {
				return "mixed";
			}
		}
		return type;
	}

	@Override
	public String toString() {
		return "BatchDispatcher[" + this.name + "]";
	}

	/**
	 * An item of the batch handed to the handler.
	 *
	 * @param index its index in the batch as delivered
	 * @param delivery its delivery
	 * @param event the decoded event
	 * @param converted the event with its payload converted for the handler
	 */
	private record Item(int index, Delivery delivery, Event<?> event, Event<?> converted) {
	}

	/**
	 * What the handler reported for a batch.
	 *
	 * @param failures the failure of each failed item, by its index in the handler's list
	 * @param reached how many items the handler got to: those after were not handled
	 */
	private record Outcomes(Map<Integer, Throwable> failures, int reached) {
	}

	/**
	 * A delivery with another attempt number.
	 */
	private static final class Renumbered extends ForwardingDelivery {

		private final int attempt;

		Renumbered(Delivery delivery, int attempt) {
			super(delivery);
			this.attempt = attempt;
		}

		@Override
		public int attempt() {
			return this.attempt;
		}

	}

}
