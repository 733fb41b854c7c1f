package dev.eventbus.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EventContext}, on ordinary threads and on {@link HandlerThread handler threads}.
 */
class EventContextTests {

	private final Event<String> outer = event("outer");

	private final Event<String> inner = event("inner");

	@Test
	void eventIsCurrentWhileItsActionRunsOnAnOrdinaryThread() throws Exception {
		onThread(ordinaryThread(this::assertNestedContexts));
	}

	@Test
	void eventIsCurrentWhileItsActionRunsOnAHandlerThread() throws Exception {
		onThread(new HandlerThread(null, this::assertNestedContexts, "handler-thread-test"));
	}

	@Test
	void eventIsRestoredWhenTheActionThrows() throws Exception {
		onThread(new HandlerThread(null, () -> {
			assertThatIllegalStateException().isThrownBy(() -> EventContext.runWith(this.outer, () -> {
				throw new IllegalStateException("boom");
			}));
			assertThat(EventContext.current()).isEmpty();
		}, "handler-thread-test"));
	}

	@Test
	void contextIsPerThread() {
		AtomicReference<Optional<Event<?>>> seenElsewhere = new AtomicReference<>();
		EventContext.runWith(this.outer,
				() -> CompletableFuture.runAsync(() -> seenElsewhere.set(EventContext.current())).join());
		assertThat(seenElsewhere.get()).isEmpty();
	}

	private void assertNestedContexts() {
		assertThat(EventContext.current()).isEmpty();
		EventContext.runWith(this.outer, () -> {
			assertThat(EventContext.current()).containsSame(this.outer);
			EventContext.runWith(this.inner, () -> assertThat(EventContext.current()).containsSame(this.inner));
			assertThat(EventContext.current()).containsSame(this.outer);
		});
		assertThat(EventContext.current()).isEmpty();
	}

	private static Thread ordinaryThread(Runnable action) {
		return new Thread(action, "ordinary-thread-test");
	}

	private static void onThread(Thread thread) throws InterruptedException {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		thread.setUncaughtExceptionHandler((failed, ex) -> failure.set(ex));
		thread.start();
		thread.join();
		assertThat(failure.get()).isNull();
	}

	private static Event<String> event(String id) {
		return new Event<>(id, "test.happened", "urn:test", Instant.now(), null, null, null, Map.of(), id);
	}

}
