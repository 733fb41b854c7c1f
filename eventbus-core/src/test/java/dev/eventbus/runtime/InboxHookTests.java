package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBusStatistics.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of how the runtime runs idempotent handlers through an {@link EventInbox}.
 */
class InboxHookTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	private final RememberingInbox inbox = new RememberingInbox();

	private final HandlingBehaviourTests.OutcomeRecorder outcomes = new HandlingBehaviourTests.OutcomeRecorder();

	private final EventBus bus = EventBus.builder()
		.adapter(this.adapter)
		.source("urn:test")
		.inbox(this.inbox)
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
	void anEventPublishedTwiceIsAppliedOnceAndTheDuplicateIsCounted() {
		Payments payments = new Payments();
		this.bus.registerHandlers("payments", payments);
		this.bus.start();
		for (int i = 0; i < 2; i++) {
			this.bus.publisher().publish(EventMessage.of("payment.taken", Map.of("amount", 5)).id("payment-1").build());
		}
		await().atMost(WAIT).until(() -> this.outcomes.of("payments").size() == 2);
		assertThat(payments.applied).hasValue(1);
		assertThat(this.outcomes.of("payments")).containsExactly(Outcome.SUCCESS, Outcome.DUPLICATE);
		assertThat(this.bus.statistics().count("payments", Counter.DUPLICATES)).isEqualTo(1);
		assertThat(this.bus.statistics().count("payments", Counter.HANDLED)).isEqualTo(1);
		assertThat(this.inbox.handlers).containsOnly("payments");
	}

	@Test
	void aHandlerThatIsNotIdempotentDoesNotGoThroughTheInbox() {
		Payments payments = new Payments();
		this.bus.registerHandlers("audit", new Audit());
		this.bus.start();
		this.bus.publisher().publish(EventMessage.of("payment.taken", Map.of("amount", 5)).id("payment-2").build());
		await().atMost(WAIT).until(() -> this.outcomes.of("audit").size() == 1);
		assertThat(this.inbox.handlers).isEmpty();
		assertThat(payments.applied).hasValue(0);
	}

	@Test
	void anIdempotentHandlerWithoutAnInboxIsRejected() {
		EventBus withoutInbox = EventBus.builder().adapter(this.adapter).build();
		try {
			assertThatExceptionOfType(InvalidEventHandlerException.class)
				.isThrownBy(() -> withoutInbox.registerHandlers("payments", new Payments()))
				.withMessageContaining("it is idempotent but the bus has no inbox");
		}
		finally {
			withoutInbox.close();
		}
	}

	static class Payments {

		final AtomicInteger applied = new AtomicInteger();

		@EventHandler(id = "payments", types = "payment.taken", idempotent = "true")
		void on(Event<Map<String, Object>> payment) {
			this.applied.incrementAndGet();
		}

	}

	static class Audit {

		@EventHandler(id = "audit", types = "payment.taken")
		void on(Event<Map<String, Object>> payment) {
		}

	}

	/**
	 * Remembers (handler, source, id) in memory.
	 */
	static final class RememberingInbox implements EventInbox {

		final Set<String> seen = ConcurrentHashMap.newKeySet();

		final List<String> handlers = new CopyOnWriteArrayList<>();

		@Override
		public boolean handleOnce(HandlerInfo handler, Event<?> event, HandlerChain handling) throws Throwable {
			this.handlers.add(handler.id());
			if (!this.seen.add(handler.id() + "/" + event.source() + "/" + event.id())) {
				return false;
			}
			handling.proceed(event);
			return true;
		}

	}

}
