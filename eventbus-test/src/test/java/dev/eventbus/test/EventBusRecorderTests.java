package dev.eventbus.test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.PublishResult;
import dev.eventbus.api.Retry;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.Outcome;
import dev.eventbus.runtime.SubscribeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventBusRecorderTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final EventBusRecorder recorder = new EventBusRecorder();

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	private final EventBus bus = EventBus.builder().adapter(this.adapter).interceptor(this.recorder).build();

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void recordsPublishedAndHandledEventsPerHandlerWithOutcomes() {
		this.bus.registerHandlers("handlers", new Handlers());
		this.bus.start();
		PublishResult ok = this.bus.publisher()
			.publish(EventMessage.of("job.ok", Map.of("n", 1)).subject("s-1").build());
		this.bus.publisher().publish("job.bad", Map.of("n", 2));

		Event<?> handled = this.recorder.handled("Handlers.on").awaitEvent((e) -> "s-1".equals(e.subject()), WAIT);
		assertThat(handled.id()).isEqualTo(ok.eventId());
		assertThat(handled.payload()).isEqualTo(Map.of("n", 1));
		assertThat(this.recorder.published().awaitCount(2, WAIT)).extracting(Event::type)
			.containsExactlyInAnyOrder("job.ok", "job.bad");
		Awaits.await(WAIT, () -> this.recorder.outcomes("Handlers.on").contains(Outcome.DEAD_LETTERED),
				() -> "outcomes so far: " + this.recorder.outcomes("Handlers.on"));
		assertThat(this.recorder.outcomes("Handlers.on")).containsExactlyInAnyOrder(Outcome.SUCCESS, Outcome.RETRY,
				Outcome.DEAD_LETTERED);
		assertThat(this.recorder.handled().ids()).containsExactly(ok.eventId());
	}

	@Test
	void anEventPublishedWithATimeKeepsItAndOneWithoutGetsThePublishTime() {
		this.bus.registerHandlers("handlers", new Handlers());
		this.bus.start();
		Instant historic = Instant.parse("2019-03-01T08:00:00Z");
		Instant before = Instant.now();
		PublishResult imported = this.bus.publisher()
			.publish(EventMessage.of("job.ok", Map.of("n", 1)).time(historic).build());
		PublishResult now = this.bus.publisher().publish("job.ok", Map.of("n", 2));
		this.recorder.handled("Handlers.on").awaitIds(List.of(imported.eventId(), now.eventId()), WAIT);
		Map<String, Instant> times = new HashMap<>();
		this.recorder.handled().events().forEach((event) -> times.put(event.id(), event.time()));
		assertThat(times.get(imported.eventId())).isEqualTo(historic);
		assertThat(times.get(now.eventId())).isBetween(before, Instant.now());
	}

	@Test
	void textAndBytesArePublishedWithTheirContentTypeAndReachStringAndByteArrayHandlers() {
		List<String> notes = new CopyOnWriteArrayList<>();
		List<byte[]> images = new CopyOnWriteArrayList<>();
		this.bus.subscribe("note.added", String.class, (event) -> notes.add(event.payload()),
				SubscribeOptions.DEFAULTS.withId("notes"));
		this.bus.subscribe("image.uploaded", byte[].class, (event) -> images.add(event.payload()),
				SubscribeOptions.DEFAULTS.withId("images"));
		this.bus.start();
		this.bus.publisher().publish(EventMessage.of("note.added", "hello").contentType("text/plain").build());
		this.bus.publisher()
			.publish(EventMessage.of("image.uploaded", new byte[] { 1, 2, 3 }).contentType("image/png").build());
		Awaits.await(WAIT, () -> notes.size() == 1 && images.size() == 1, "text and bytes not handled");
		assertThat(notes).containsExactly("hello");
		assertThat(images.get(0)).containsExactly(1, 2, 3);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventMessage.of("note.added", Map.of("n", 1)).contentType("text/plain"))
			.withMessageContaining("must be a String or a byte[]");
	}

	@Test
	void aRecorderThatKnowsTheHandlersRejectsAnIdNoHandlerHas() {
		EventBusRecorder knowing = new EventBusRecorder(this.bus::handlers);
		this.bus.registerHandlers("handlers", new Handlers());
		assertThat(knowing.handled("Handlers.on").ids()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> knowing.handled("Handlers.onn"))
			.withMessage("No handler has the id 'Handlers.onn'; the handlers are [Handlers.on]");
		assertThatIllegalArgumentException().isThrownBy(() -> knowing.outcomes("NoSuchHandler.id"));
	}

	static class Handlers {

		@EventHandler(types = "job.*", retry = @Retry(maxRetries = 1, delay = "10ms", jitter = "0"))
		void on(Event<Map<String, Object>> event) {
			if (event.type().equals("job.bad")) {
				throw new IllegalStateException("bad job");
			}
		}

	}

}
