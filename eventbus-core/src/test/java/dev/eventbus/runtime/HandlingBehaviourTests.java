package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventType;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of how a handling runs: handlers on sealed supertypes, conditions that throw,
 * timeouts, interceptors that wrap, and handlers subscribed in code.
 */
class HandlingBehaviourTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	private final OutcomeRecorder outcomes = new OutcomeRecorder();

	private final EventBus bus = EventBus.builder()
		.adapter(this.adapter)
		.source("urn:test")
		.defaultGroup("tests")
		.interceptor(this.outcomes)
		.handlerDefaults(HandlerDefaults.DEFAULTS
			.withRetry(new RetrySettings(2, Duration.ofMillis(10), 1.0, Duration.ofMillis(10), Duration.ZERO)))
		.build();

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void handlerOfASealedInterfaceGetsEveryPermittedSubtypeConverted() {
		Photos photos = start(new Photos());
		this.bus.publisher().publish(new PhotoUploaded("p-1"));
		this.bus.publisher().publish(new PhotoResized("p-1", 640));
		await().atMost(WAIT).until(() -> photos.received.size() == 2);
		assertThat(photos.received).containsExactly(new PhotoUploaded("p-1"), new PhotoResized("p-1", 640));
		assertThat(this.bus.statistics().deadLetteredCount()).isZero();
	}

	@Test
	void conditionThatThrowsIsDeadLetteredAtOnceWithoutRetries() {
		BrokenCondition handler = start(new BrokenCondition());
		this.bus.publisher().publish("job.done", Map.of("n", 1));
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		DeadLetter deadLetter = this.bus.deadLetters().list("events", 10).get(0);
		assertThat(deadLetter.attempts()).as("delivered once, never retried").isEqualTo(1);
		assertThat(deadLetter.handler()).isEqualTo("broken-condition");
		assertThat(deadLetter.message()).contains("Condition 'payload.missing.field == 1' of handler broken-condition");
		assertThat(handler.calls).hasValue(0);
		assertThat(this.bus.statistics().count("broken-condition", Counter.RETRIED)).isZero();
	}

	@Test
	void handlerPastItsTimeoutIsInterruptedAndRetried() {
		Slow slow = start(new Slow());
		this.bus.publisher().publish("job.slow", Map.of());
		await().atMost(WAIT).until(() -> slow.calls.get() == 2 && this.outcomes.of("slow").contains(Outcome.SUCCESS));
		assertThat(slow.interrupted).as("the first handling was interrupted at its timeout").hasValue(1);
		assertThat(this.outcomes.of("slow")).containsExactly(Outcome.RETRY, Outcome.SUCCESS);
		assertThat(this.outcomes.failures).singleElement().isInstanceOf(TimeoutException.class);
	}

	@Test
	void interceptorThatWrapsTheHandlingCanTurnAFailureIntoASuccess() {
		EventBus wrapped = EventBus.builder()
			.adapter(this.adapter)
			.defaultGroup("wrapped")
			.interceptor(new EventBusInterceptor() {
				@Override
				public void intercept(Event<?> event, HandlerInfo handler, HandlerChain chain) throws Throwable {
					try {
						chain.proceed(event);
					}
					catch (IllegalStateException ex) {
						// swallowed: the handling counts as a success
					}
				}
			})
			.interceptor(this.outcomes)
			.build();
		try {
			AlwaysFails failing = new AlwaysFails();
			wrapped.registerHandlers("failing", failing);
			wrapped.start();
			wrapped.publisher().publish("job.failing", Map.of());
			await().atMost(WAIT).until(() -> this.outcomes.of("always-fails").contains(Outcome.SUCCESS));
			assertThat(failing.calls).hasValue(1);
			assertThat(wrapped.statistics().deadLetteredCount()).isZero();
		}
		finally {
			wrapped.close();
		}
	}

	@Test
	void handlerSubscribedInCodeSharesTheGroupsSubscriptionAndStopsWhenClosed() {
		BrokenCondition annotated = start(new BrokenCondition());
		List<Event<JsonNode>> received = new CopyOnWriteArrayList<>();
		HandlerRegistration registration = this.bus.subscribe("order.*", JsonNode.class, received::add,
				SubscribeOptions.DEFAULTS.withId("orders-in-code"));
		assertThat(this.bus.subscriptions()).singleElement()
			.satisfies((subscription) -> assertThat(subscription.handlers()).containsExactly("broken-condition",
					"orders-in-code"));
		this.bus.publisher().publish("order.placed", Map.of("id", "o-1"));
		await().atMost(WAIT).until(() -> received.size() == 1);
		assertThat(received.get(0).payload().path("id").asString()).isEqualTo("o-1");
		registration.close();
		assertThat(this.bus.subscriptions()).singleElement()
			.satisfies((subscription) -> assertThat(subscription.handlers()).containsExactly("broken-condition"));
		this.bus.publisher().publish("order.placed", Map.of("id", "o-2"));
		this.bus.publisher().publish("job.done", Map.of("n", 2));
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(received).hasSize(1);
		assertThat(annotated.calls).hasValue(0);
	}

	@Test
	void everyHandlerOfASharedSubscriptionGetsTheEventsWaitingWhenItOpens() {
		this.bus.registerHandlers("first", new BrokenCondition());
		this.bus.start();
		this.bus.stop();
		for (int i = 0; i < 50; i++) {
			this.bus.publisher().publish("order.placed", Map.of("n", i));
		}
		EventBus restarted = EventBus.builder().adapter(this.adapter).defaultGroup("tests").build();
		List<Event<JsonNode>> first = new CopyOnWriteArrayList<>();
		List<Event<JsonNode>> second = new CopyOnWriteArrayList<>();
		try {
			restarted.subscribe("order.*", JsonNode.class, first::add, SubscribeOptions.DEFAULTS.withId("first"));
			restarted.subscribe("order.*", JsonNode.class, second::add, SubscribeOptions.DEFAULTS.withId("second"));
			restarted.start();
			await().atMost(WAIT).until(() -> first.size() == 50 && second.size() == 50);
		}
		finally {
			restarted.close();
		}
	}

	@Test
	void eventOfATypeNoHandlerTakesIsCountedAndAcknowledged() {
		start(new BrokenCondition());
		this.bus.publisher().publish("order.cancelld", Map.of());
		await().atMost(WAIT).until(() -> this.bus.statistics().unmatchedCount() == 1);
		assertThat(this.adapter.history("events.dlq", 10)).isEmpty();
		assertThat(this.bus.statistics().unmatchedDeadLetteredCount()).isZero();
	}

	@Test
	void eventOfATypeNoHandlerTakesIsDeadLetteredWhenConfigured() {
		EventBus strict = EventBus.builder()
			.adapter(this.adapter)
			.defaultGroup("strict")
			.deadLetterUnmatchedEvents(true)
			.build();
		try {
			strict.registerHandlers("handler", new BrokenCondition());
			strict.start();
			strict.publisher().publish("order.cancelld", Map.of());
			await().atMost(WAIT).until(() -> strict.deadLetters().list("events", 10).size() == 1);
			DeadLetter deadLetter = strict.deadLetters().list("events", 10).get(0);
			assertThat(deadLetter.type()).isEqualTo("order.cancelld");
			assertThat(deadLetter.handler()).isEqualTo("strict@events");
			assertThat(deadLetter.message())
				.isEqualTo("No handler of group 'strict' takes events of type 'order.cancelld'");
			assertThat(strict.statistics().unmatchedDeadLetteredCount()).isEqualTo(1);
		}
		finally {
			strict.close();
		}
	}

	private <T> T start(T handler) {
		this.bus.registerHandlers(handler.getClass().getSimpleName(), handler);
		this.bus.start();
		return handler;
	}

	sealed interface PhotoEvent permits PhotoUploaded, PhotoResized {

	}

	@EventType("photo.uploaded")
	record PhotoUploaded(String photoId) implements PhotoEvent {
	}

	@EventType("photo.resized")
	record PhotoResized(String photoId, int width) implements PhotoEvent {
	}

	static class Photos {

		final List<PhotoEvent> received = new CopyOnWriteArrayList<>();

		@EventHandler("photo.*")
		void on(Event<PhotoEvent> event) {
			this.received.add(event.payload());
		}

	}

	static class BrokenCondition {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler(id = "broken-condition", types = "job.*", condition = "payload.missing.field == 1")
		void on(Map<String, Object> payload) {
			this.calls.incrementAndGet();
		}

	}

	static class Slow {

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger interrupted = new AtomicInteger();

		/**
		 * Never counted down: the first handling waits on it until its timeout interrupts
		 * it.
		 */
		final CountDownLatch never = new CountDownLatch(1);

		@EventHandler(id = "slow", types = "job.slow", timeout = "100ms")
		void on(Map<String, Object> payload) {
			if (this.calls.incrementAndGet() == 1) {
				try {
					this.never.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					this.interrupted.incrementAndGet();
				}
			}
		}

	}

	static class AlwaysFails {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler(id = "always-fails", types = "job.failing")
		void on(Map<String, Object> payload) {
			this.calls.incrementAndGet();
			throw new IllegalStateException("fails");
		}

	}

	static class OutcomeRecorder implements EventBusInterceptor {

		final Map<String, List<Outcome>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		@Override
		public void intercept(Event<?> event, HandlerInfo handler, HandlerChain chain) throws Throwable {
			try {
				chain.proceed(event);
			}
			catch (Throwable ex) {
				this.failures.add(ex);
				throw ex;
			}
		}

		@Override
		public void handled(Event<?> event, HandlerInfo handler, Outcome outcome) {
			this.outcomes.computeIfAbsent(handler.id(), (id) -> new CopyOnWriteArrayList<>()).add(outcome);
		}

		List<Outcome> of(String handlerId) {
			return this.outcomes.getOrDefault(handlerId, List.of());
		}

	}

}
