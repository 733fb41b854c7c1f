package dev.eventbus.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.runtime.DeliveryProgress.EventProgress;
import dev.eventbus.spi.Delivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The listener of one subscription: the handlers of one consumer group on one
 * destination. Each delivery is decoded once and dispatched to every handler whose type
 * patterns match, in registration order; then it is settled, exactly once: acknowledged
 * when every matching handler is done with it (succeeded, skipped it, dead-lettered or
 * dropped it), or given back with the longest delay the failing handlers asked for. A
 * redelivery re-runs only the handlers that are not done yet ({@link DeliveryProgress}).
 * A message that cannot be decoded is dead-lettered once, at once, for the whole
 * subscription. A replayed dead letter runs only the handler it names. Never throws.
 * Thread safe.
 */
final class SubscriptionDispatcher implements HandlerDispatcher {

	private static final Log logger = LogFactory.getLog(SubscriptionDispatcher.class);

	private static final Duration UNEXPECTED_FAILURE_DELAY = Duration.ofSeconds(1);

	private final String name;

	private final String group;

	private final JsonEventCodec codec;

	private final FailurePolicy failures;

	private final UnmatchedEvents unmatched;

	/** Source of plain JSON messages that name none. */
	private final String source;

	private final List<HandlerPipeline> pipelines = new CopyOnWriteArrayList<>();

	private final DeliveryProgress progress = new DeliveryProgress();

	SubscriptionDispatcher(String name, String group, JsonEventCodec codec, FailurePolicy failures,
			UnmatchedEvents unmatched, String source) {
		this.name = name;
		this.group = group;
		this.codec = codec;
		this.failures = failures;
		this.unmatched = unmatched;
		this.source = source;
	}

	@Override
	public void add(HandlerPipeline pipeline) {
		this.pipelines.add(pipeline);
	}

	@Override
	public boolean remove(HandlerDefinition handler) {
		this.pipelines.removeIf((pipeline) -> pipeline.handler() == handler);
		return !this.pipelines.isEmpty();
	}

	@Override
	public List<HandlerDefinition> handlers() {
		return this.pipelines.stream().map(HandlerPipeline::handler).toList();
	}

	@Override
	public void onDelivery(Delivery delivery) {
		try {
			dispatch(delivery);
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure dispatching message " + delivery.messageId() + " from '"
					+ delivery.destination() + "' in subscription " + this.name + "; it is delivered again in "
					+ UNEXPECTED_FAILURE_DELAY, ex);
			delivery.retry(UNEXPECTED_FAILURE_DELAY);
		}
	}

	private void dispatch(Delivery delivery) {
		Event<?> event = delivery.event();
		String only = null;
		if (event == null) {
			Map<String, String> headers = delivery.headers();
			String replayGroup = headers.get(FailureHeaders.REPLAY_GROUP);
			if (replayGroup != null && !replayGroup.equals(this.group)) {
				delivery.ack();
				return;
			}
			only = replayedHandler(headers);
			try {
				event = this.codec.decodeEnvelope(headers, delivery.body(), this.source,
						() -> delivery.destination() + "/" + delivery.messageId());
			}
			catch (EventDecodingException ex) {
				settle(delivery, this.failures.undecodable(delivery, this.name, this.group, ex, retryPolicy()));
				return;
			}
		}
		Event<?> decoded = event;
		EventProgress progress = this.progress.find(event.id());
		// the handlers done with the event, remembered for its redelivery when another
		// one retries it
		boolean remember = this.pipelines.size() > 1;
		List<String> done = remember ? new ArrayList<>() : List.of();
		Duration retryDelay = null;
		boolean matched = false;
		for (HandlerPipeline pipeline : this.pipelines) {
			HandlerDefinition handler = pipeline.handler();
			boolean accepts = handler.accepts(event.type());
			matched |= accepts;
			if (!accepts || (only != null && !only.equals(handler.id()))
					|| (progress != null && progress.isDone(handler.id()))) {
				continue;
			}
			Verdict verdict = pipeline.handle(delivery, event, () -> this.progress.start(decoded.id()));
			if (verdict.outcome().isFinal()) {
				if (remember) {
					done.add(handler.id());
				}
			}
			else {
				retryDelay = longest(retryDelay, verdict.retryDelay());
			}
		}
		if (!matched && only == null) {
			settle(delivery,
					this.unmatched.handle(delivery, event, this.name, this.group, this.failures, retryPolicy()));
			return;
		}
		if (retryDelay != null) {
			EventProgress retried = this.progress.start(event.id());
			done.forEach(retried::done);
		}
		else {
			this.progress.forget(event.id());
		}
		settle(delivery, (retryDelay != null) ? Verdict.retry(retryDelay) : Verdict.SUCCESS);
	}

	private void settle(Delivery delivery, Verdict verdict) {
		if (verdict.retryDelay() != null) {
			delivery.retry(verdict.retryDelay());
		}
		else {
			delivery.ack();
		}
	}

	private @Nullable String replayedHandler(Map<String, String> headers) {
		String handler = headers.get(FailureHeaders.REPLAY_HANDLER);
		if (handler == null) {
			return null;
		}
		return this.pipelines.stream().anyMatch((pipeline) -> pipeline.handler().id().equals(handler)) ? handler : null;
	}

	private RetrySettings retryPolicy() {
		List<HandlerPipeline> current = this.pipelines;
		return current.isEmpty() ? RetrySettings.DEFAULTS : current.get(0).handler().retry();
	}

	private static Duration longest(@Nullable Duration current, @Nullable Duration next) {
		Duration delay = (next != null) ? next : Duration.ZERO;
		return (current == null || delay.compareTo(current) > 0) ? delay : current;
	}

	@Override
	public String toString() {
		return "SubscriptionDispatcher[" + this.name + "]";
	}

}
