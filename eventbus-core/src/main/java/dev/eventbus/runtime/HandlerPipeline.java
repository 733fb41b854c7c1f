package dev.eventbus.runtime;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.runtime.ConditionEvaluator.InvalidConditionException;
import dev.eventbus.runtime.DeliveryProgress.EventProgress;
import dev.eventbus.runtime.EventBusObservations.HandleContext;
import dev.eventbus.runtime.EventBusObservations.HandleObservationConvention;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import dev.eventbus.runtime.EventBusStatistics.HandlerCounts;
import dev.eventbus.spi.Delivery;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one handler for one decoded event, in steps: convert the payload into the
 * handler's type, evaluate its condition, then, inside an {@code eventbus.handle}
 * observation, run the interceptors around the invocation (with the event as the
 * {@link EventContext} and the handler's timeout), and let the {@link FailurePolicy}
 * decide what a failure means. Data that does not convert and a condition that throws are
 * dead-lettered at once: no retry can fix them. Never throws. Thread safe.
 */
final class HandlerPipeline {

	private static final Log logger = LogFactory.getLog(HandlerPipeline.class);

	private final HandlerDefinition handler;

	private final Services services;

	private final HandlerCounts counts;

	HandlerPipeline(HandlerDefinition handler, Services services) {
		this.handler = handler;
		this.services = services;
		this.counts = services.statistics().handler(handler.id());
	}

	HandlerDefinition handler() {
		return this.handler;
	}

	/**
	 * Handle an event.
	 * @param delivery the delivery it came with
	 * @param event the decoded event
	 * @param progress the event's progress, started on demand to record a failure
	 * @return how it ended
	 */
	Verdict handle(Delivery delivery, Event<?> event, Supplier<EventProgress> progress) {
		Prepared prepared = prepare(delivery, event, progress);
		Event<?> converted = prepared.event();
		if (converted == null) {
			return prepared.verdict();
		}
		HandlerInfo info = this.handler.info();
		HandleContext context = null;
		Observation observation = Observation.NOOP;
		if (!this.services.observationRegistry().isNoop()) {
			context = new HandleContext(event.headers(), this.services.adapterName(), delivery.destination(),
					event.type(), info.group(), info.id(), List.of());
			observation = startObservation(context);
		}
		Verdict verdict;
		try (Observation.Scope scope = observation.openScope()) {
			if (invoke(converted)) {
				this.counts.increment(Counter.HANDLED);
				verdict = Verdict.SUCCESS;
			}
			else {
				this.counts.increment(Counter.DUPLICATES);
				verdict = Verdict.DUPLICATE;
			}
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			observation.error(ex);
			verdict = this.services.failures()
				.failed(delivery, event, info, this.counts, ex, progress.get().failed(info.id(), Instant.now()));
		}
		if (context != null) {
			context.setOutcome(verdict.outcome().tag());
		}
		observation.stop();
		return finish(converted, verdict);
	}

	/**
	 * The steps before an invocation: convert the payload into the handler's type, then
	 * evaluate its condition. Data that does not convert and a condition that throws are
	 * dead-lettered; a false condition skips the event.
	 * @param delivery the delivery the event came with
	 * @param event the decoded event
	 * @param progress the event's progress, started on demand to record a failure
	 * @return the event to invoke the handler with, or how the handling already ended
	 */
	Prepared prepare(Delivery delivery, Event<?> event, Supplier<EventProgress> progress) {
		HandlerInfo info = this.handler.info();
		Event<?> converted;
		try {
			converted = convert(event);
		}
		catch (EventDecodingException ex) {
			logger.warn("Dead-lettering event " + event.id() + " of type '" + event.type() + "' for handler "
					+ info.id() + ": " + ex.getMessage());
			return Prepared.ended(finish(event, this.services.failures()
				.deadLetter(delivery, event, info, this.counts, ex, progress.get().failed(info.id(), Instant.now()))));
		}
		boolean holds;
		try {
			holds = ConditionEvaluator.holds(this.handler, converted);
		}
		catch (InvalidConditionException ex) {
			logger.error(ex.getMessage() + "; the event is dead-lettered without retries", ex.getCause());
			return Prepared.ended(finish(converted,
					this.services.failures().deadLetter(delivery, event, info, this.counts, ex, Instant.now())));
		}
		if (!holds) {
			this.counts.increment(Counter.SKIPPED);
			return Prepared.ended(finish(converted, Verdict.SKIPPED));
		}
		this.counts.increment(Counter.RECEIVED);
		return new Prepared(converted, null);
	}

	/**
	 * Start an {@code eventbus.handle} observation.
	 * @param context its context
	 * @return the started observation
	 */
	Observation startObservation(HandleContext context) {
		return Observation
			.createNotStarted(this.services.handleConvention(), EventBusObservations.DEFAULT_HANDLE_CONVENTION,
					() -> context, this.services.observationRegistry())
			.start();
	}

	/**
	 * Run the interceptors around the invocation, with the timeout, the event as the
	 * current one and, for an idempotent handler, through the inbox.
	 * @return {@code false} when the inbox found the event a duplicate and the handler
	 * did not run
	 */
	private boolean invoke(Event<?> event) throws Throwable {
		HandlerInfo info = this.handler.info();
		EventInbox inbox = info.idempotent() ? this.services.inbox() : null;
		boolean[] ran = { true };
		this.services.interceptors()
			.intercept(event, info, (intercepted) -> this.services.timeouts()
				.run(intercepted, info.timeout(), (timed) -> EventContext.runWith(timed, (current) -> {
					if (inbox != null) {
						ran[0] = inbox.handleOnce(info, current, this.handler.invoker()::invoke);
					}
					else {
						this.handler.invoker().invoke(current);
					}
				})));
		return ran[0];
	}

	/**
	 * Tell the interceptors how a handling ended.
	 * @param event the event as the handler received it
	 * @param verdict how it ended
	 * @return the verdict
	 */
	Verdict finish(Event<?> event, Verdict verdict) {
		this.services.interceptors().handled(event, this.handler.info(), verdict.outcome());
		return verdict;
	}

	private Event<?> convert(Event<?> event) {
		Class<?> payloadType = this.handler.invoker().payloadType();
		if (payloadType == null) {
			return this.services.converter().parsed(event);
		}
		Object payload = this.services.converter().convert(event, payloadType);
		return (payload == event.payload()) ? event : event.withPayload(payload);
	}

	HandlerCounts counts() {
		return this.counts;
	}

	Services services() {
		return this.services;
	}

	/**
	 * The event to invoke a handler with, or how its handling ended before the
	 * invocation.
	 *
	 * @param event the event, payload converted, or {@code null} when the handling ended
	 * @param verdict how the handling ended, or {@code null} when the handler is to be
	 * invoked
	 */
	record Prepared(@Nullable Event<?> event, @Nullable Verdict verdict) {

		static Prepared ended(Verdict verdict) {
			return new Prepared(null, verdict);
		}

	}

	/**
	 * What every pipeline of a bus shares.
	 */
	record Services(PayloadConverter converter, FailurePolicy failures, Interceptors interceptors,
			HandlerTimeouts timeouts, ObservationRegistry observationRegistry,
			@Nullable HandleObservationConvention handleConvention, EventBusStatistics statistics, String adapterName,
			@Nullable EventInbox inbox) {
	}

}
