package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.PublishException;
import dev.eventbus.api.Retry;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.test.Awaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead letter that cannot be written is retried a bounded number of times; then the
 * message is dropped, loudly, and the messages behind it flow. In the runtime's package,
 * for its bound.
 */
class DeadLetterWriteFailureTests {

	private final InMemoryEventBusAdapter memory = new InMemoryEventBusAdapter();

	private final RefusingDeadLetters adapter = new RefusingDeadLetters(this.memory);

	private final EventBus bus = EventBus.builder().adapter(this.adapter).defaultGroup("tests").build();

	@AfterEach
	void close() {
		this.bus.close();
		this.memory.close();
	}

	@Test
	void messageWhoseDeadLetterCannotBeWrittenIsDroppedAfterBoundedRetriesAndCounted() {
		Handler handler = new Handler();
		this.bus.registerHandlers("handler", handler);
		this.bus.start();
		this.bus.publisher().publish(EventMessage.of("job.failing", Map.of()).subject("s-1").build());
		this.bus.publisher().publish(EventMessage.of("job.ok", Map.of()).subject("s-1").build());
		Awaits.await(Duration.ofSeconds(10), () -> handler.succeeded.size() == 1, "the event behind never arrived");
		assertThat(handler.failures)
			.as("handler attempts: 1 + maxRetries 1, then one per redelivery of the dead letter")
			.hasValue(2 + FailurePolicy.DEAD_LETTER_WRITE_ATTEMPTS);
		assertThat(this.adapter.refused).as("dead-letter writes: one per delivery from the last attempt on")
			.hasValue(1 + FailurePolicy.DEAD_LETTER_WRITE_ATTEMPTS);
		assertThat(this.bus.statistics().deadLettersLostCount()).isEqualTo(1);
		assertThat(this.bus.statistics().lastDeadLetterLost()).contains("handler failing")
			.contains("'events.dlq'")
			.contains("too large");
		assertThat(this.bus.statistics().deadLetteredCount()).isZero();
	}

	static class Handler {

		final AtomicInteger failures = new AtomicInteger();

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		@EventHandler(id = "failing", types = "job.*", retry = @Retry(maxRetries = 1, delay = "10ms", jitter = "0"))
		void on(dev.eventbus.api.Event<Map<String, Object>> event) {
			if (event.type().equals("job.failing")) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("fails");
			}
			this.succeeded.add(event.id());
		}

	}

	/**
	 * The in-memory adapter, refusing every message to a dead-letter destination as a
	 * broker refuses one too large.
	 */
	static final class RefusingDeadLetters extends ForwardingEventBusAdapter {

		final AtomicInteger refused = new AtomicInteger();

		RefusingDeadLetters(EventBusAdapter delegate) {
			super(delegate);
		}

		@Override
		public CompletableFuture<SendResult> send(OutboundMessage message) {
			if (message.destination().endsWith(".dlq")) {
				this.refused.incrementAndGet();
				return CompletableFuture.failedFuture(new PublishException("message too large for the destination"));
			}
			return super.send(message);
		}

	}

}
