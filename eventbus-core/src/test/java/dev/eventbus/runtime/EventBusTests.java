package dev.eventbus.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.DeadLetter;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusOverloadedException;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventHeader;
import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventType;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.api.PublishResult;
import dev.eventbus.api.Retry;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class EventBusTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(InMemoryAdapterSettings.DEFAULTS);

	private final EventBus bus = EventBus.builder()
		.adapter(this.adapter)
		.source("urn:test")
		.defaultGroup("tests")
		.route("audit.*", "audit")
		.handlerDefaults(HandlerDefaults.DEFAULTS
			.withRetry(new RetrySettings(2, Duration.ofMillis(20), 2.0, Duration.ofMillis(100), Duration.ZERO)))
		.build();

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void typedHandlerGetsPayloadAndEnvelope() {
		Orders orders = start("orders", new Orders());
		PublishResult result = this.bus.publisher()
			.publish(EventMessage.of(new OrderPlaced("o-1", 25)).subject("o-1").header("channel", "web").build());
		await().atMost(WAIT).until(() -> orders.envelopes.size() == 1);
		Event<OrderPlaced> event = orders.envelopes.get(0);
		assertThat(result.type()).isEqualTo("order.placed");
		assertThat(result.destination()).isEqualTo("events");
		assertThat(event.id()).isEqualTo(result.eventId());
		assertThat(event.type()).isEqualTo("order.placed");
		assertThat(event.source()).isEqualTo("urn:test");
		assertThat(event.subject()).isEqualTo("o-1");
		assertThat(event.correlationId()).isEqualTo(result.eventId());
		assertThat(result.correlationId()).isEqualTo(result.eventId());
		assertThat(event.header("channel")).isEqualTo("web");
		assertThat(event.payload()).isEqualTo(new OrderPlaced("o-1", 25));
		assertThat(orders.channels).containsExactly("web");
	}

	@Test
	void anEventPassedOnKeepsTheSourceTimeAndTypedExtensionsItWasGiven() {
		Orders orders = start("orders", new Orders());
		Instant happened = Instant.parse("2020-01-02T03:04:05Z");
		this.bus.publisher()
			.publish(EventMessage.of(new OrderPlaced("o-3", 5))
				.source("urn:partner:acme")
				.time(happened)
				.extension("priority", 5)
				.build());
		await().atMost(WAIT).until(() -> orders.envelopes.size() == 1);
		Event<OrderPlaced> event = orders.envelopes.get(0);
		assertThat(event.source()).isEqualTo("urn:partner:acme");
		assertThat(event.time()).isEqualTo(happened);
		assertThat(event.extension("priority")).isEqualTo(5);
	}

	@Test
	void eventsPublishedByAHandlerCarryCorrelationAndCausation() {
		Orders orders = start("orders", new Orders());
		PublishResult placed = this.bus.publisher().publish(new OrderPlaced("o-2", 10));
		await().atMost(WAIT).until(() -> orders.shipped.size() == 1);
		Event<OrderShipped> shipped = orders.shipped.get(0);
		assertThat(shipped.correlationId()).isEqualTo(placed.eventId());
		assertThat(shipped.causationId()).isEqualTo(placed.eventId());
	}

	@Test
	void failingHandlerIsRetriedWithBackoffUntilItSucceeds() {
		Flaky flaky = start("flaky", new Flaky(2));
		this.bus.publisher().publish("flaky.happened", Map.of("n", 1));
		await().atMost(WAIT).until(() -> flaky.succeeded.get());
		assertThat(flaky.calls).hasSize(3);
		assertThat(Duration.between(flaky.calls.get(0), flaky.calls.get(1)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(18));
		assertThat(Duration.between(flaky.calls.get(1), flaky.calls.get(2)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(38));
		assertThat(this.bus.deadLetters().list("events", 10)).isEmpty();
		assertThat(this.bus.statistics().retriedCount()).isEqualTo(2);
	}

	@Test
	void exhaustedEventIsDeadLetteredThenReplayedAndPurged() {
		Flaky flaky = start("flaky", new Flaky(Integer.MAX_VALUE));
		PublishResult first = this.bus.publisher()
			.publish(EventMessage.of("flaky.happened", Map.of("n", 1)).subject("s").build());
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(flaky.calls).hasSize(3);
		DeadLetter deadLetter = this.bus.deadLetters().list("events", 10).get(0);
		assertThat(deadLetter.id()).isEqualTo(first.eventId());
		assertThat(deadLetter.type()).isEqualTo("flaky.happened");
		assertThat(deadLetter.subject()).isEqualTo("s");
		assertThat(deadLetter.destination()).isEqualTo("events");
		assertThat(deadLetter.deadLetterDestination()).isEqualTo("events.dlq");
		assertThat(deadLetter.handler()).isEqualTo("Flaky.on");
		assertThat(deadLetter.exception()).isEqualTo(IllegalStateException.class.getName());
		assertThat(deadLetter.message()).isEqualTo("failure 3");
		assertThat(deadLetter.attempts()).isEqualTo(3);
		assertThat(deadLetter.firstFailure()).isBeforeOrEqualTo(deadLetter.lastFailure());
		assertThat(deadLetter.headers()).containsEntry(FailureHeaders.GROUP, "tests");

		flaky.failuresLeft.set(0);
		this.bus.publisher().publish("flaky.happened", Map.of("n", 2));
		await().atMost(WAIT).until(() -> flaky.succeeded.get());

		assertThat(this.bus.deadLetters().replay("events", first.eventId())).isTrue();
		await().atMost(WAIT).until(() -> flaky.payloads.stream().filter((p) -> p.get("n").equals(1)).count() == 4);
		assertThat(this.bus.deadLetters().list("events", 10)).isEmpty();

		flaky.failuresLeft.set(Integer.MAX_VALUE);
		this.bus.publisher().publish("flaky.happened", Map.of("n", 3));
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(this.bus.deadLetters().purge("events")).isEqualTo(1);
		assertThat(this.bus.deadLetters().list("events", 10)).isEmpty();
	}

	@Test
	void deadLetterWithAnAlteredAttemptsHeaderIsStillListed() {
		this.adapter.send(OutboundMessage.raw("events.dlq", null, "altered",
				Map.of(FailureHeaders.ATTEMPTS, "three", FailureHeaders.HANDLER, "Flaky.on",
						FailureHeaders.FIRST_FAILURE, "yesterday"),
				"{\"not\": \"an event\"}".getBytes(StandardCharsets.UTF_8)))
			.join();
		this.bus.registerHandlers("flaky", new Flaky(0));
		List<DeadLetter> listed = this.bus.deadLetters().list("events", 10);
		assertThat(listed).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.attempts()).isZero();
			assertThat(deadLetter.handler()).isEqualTo("Flaky.on");
			assertThat(deadLetter.firstFailure()).isNull();
		});
	}

	@Test
	void replayReachesOnlyTheHandlerThatFailed() {
		Flaky flaky = new Flaky(Integer.MAX_VALUE);
		Bystander bystander = new Bystander();
		this.bus.registerHandlers("flaky", flaky);
		start("bystander", bystander);
		PublishResult result = this.bus.publisher().publish("flaky.happened", Map.of("n", 1));
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(this.bus.deadLetters().list("events", 10).get(0).headers()).containsEntry(FailureHeaders.GROUP,
				"tests");
		assertThat(bystander.received).hasSize(1);

		flaky.failuresLeft.set(0);
		assertThat(this.bus.deadLetters().replay("events", result.eventId())).isTrue();
		await().atMost(WAIT).until(() -> flaky.succeeded.get());
		assertThat(this.bus.subscriptions()).filteredOn((subscription) -> subscription.destination().equals("events"))
			.singleElement()
			.satisfies(
					(subscription) -> assertThat(subscription.handlers()).containsExactly("Flaky.on", "Bystander.on"));
		assertThat(bystander.received).hasSize(1);
		assertThat(this.bus.deadLetters().list("events", 10)).isEmpty();
	}

	@Test
	void exceptionsThatNoRetryCanFixAreDeadLetteredAtOnce() {
		Permanent permanent = start("permanent", new Permanent());
		this.bus.publisher().publish("permanent.failure", Map.of());
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(permanent.calls.get()).isEqualTo(1);
		assertThat(this.bus.deadLetters().list("events", 10).get(0).attempts()).isEqualTo(1);
	}

	@Test
	void conditionNavigatesMapPayloads() {
		MapCondition handler = start("mapCondition", new MapCondition());
		this.bus.publisher().publish("login.happened", Map.of("user", "bob"));
		this.bus.publisher().publish("login.happened", Map.of("user", "ann"));
		await().atMost(WAIT).until(() -> handler.users.size() == 1);
		await().atMost(WAIT).until(() -> this.bus.statistics().skippedCount() == 1);
		assertThat(handler.users).containsExactly("ann");
	}

	@Test
	void undecodableMessageIsDeadLetteredAtOnceAndLaterEventsFlow() {
		Orders orders = start("orders", new Orders());
		this.adapter
			.send(OutboundMessage.raw("events", "k", "poison-1", Map.of(),
					"{not json".getBytes(StandardCharsets.UTF_8)))
			.join();
		this.bus.publisher().publish(new OrderPlaced("o-3", 1));
		await().atMost(WAIT).until(() -> orders.envelopes.size() == 1);
		await().atMost(WAIT).until(() -> !this.bus.deadLetters().list("events", 10).isEmpty());
		DeadLetter poison = this.bus.deadLetters().list("events", 10).get(0);
		assertThat(poison.attempts()).isEqualTo(1);
		assertThat(poison.exception()).isEqualTo("dev.eventbus.api.EventDecodingException");
		assertThat(poison.body()).isEqualTo("{not json");
	}

	@Test
	void dataThatDoesNotFitTheRegisteredClassIsDeadLetteredWithoutRetry() {
		Orders orders = start("orders", new Orders());
		this.bus.publisher().publish("order.placed", Map.of("id", "o-4", "amount", "not a number"));
		await().atMost(WAIT).until(() -> this.bus.deadLetters().list("events", 10).size() == 1);
		assertThat(this.bus.deadLetters().list("events", 10).get(0).attempts()).isEqualTo(1);
		assertThat(orders.envelopes).isEmpty();
	}

	@Test
	void conditionFiltersEventsAndWildcardTakesRawMaps() {
		Audit audit = start("audit", new Audit());
		this.bus.publisher()
			.publish(EventMessage.of("audit.login", Map.of("user", "ann")).header("tenant", "acme").build());
		this.bus.publisher()
			.publish(EventMessage.of("audit.login", Map.of("user", "bob")).header("tenant", "other").build());
		this.bus.publisher()
			.publish(EventMessage.of("audit.logout", Map.of("user", "ann")).header("tenant", "acme").build());
		await().atMost(WAIT).until(() -> audit.acme.size() == 2);
		assertThat(audit.acme).extracting((m) -> m.get("user")).containsExactlyInAnyOrder("ann", "ann");
		await().atMost(WAIT).until(() -> this.bus.statistics().skippedCount() == 1);
	}

	@Test
	void publishRejectsMissingPayloadAndEmptyType() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.publisher().publish((Object) null))
			.withMessageContaining("payload");
		assertThatIllegalArgumentException().isThrownBy(() -> this.bus.publisher().publish(" ", Map.of()))
			.withMessageContaining("type");
	}

	@Test
	void duplicateHandlerIdsFailNamingBothMethods() {
		this.bus.registerHandlers("first", new Orders());
		assertThatExceptionOfType(InvalidEventHandlerException.class)
			.isThrownBy(() -> this.bus.registerHandlers("second", new Orders()))
			.withMessageContaining("'second'")
			.withMessageContaining("already used");
	}

	@Test
	void stopWaitsForRunningHandlersToFinish() throws Exception {
		Slow slow = start("slow", new Slow());
		this.bus.publisher().publish("slow.job", Map.of());
		assertThat(slow.started.await(5, TimeUnit.SECONDS)).isTrue();
		Thread stopper = new Thread(this.bus::stop);
		stopper.start();
		stopper.join(200);
		assertThat(stopper.isAlive()).as("stop waits for the running handler").isTrue();
		slow.release.countDown();
		stopper.join(5_000);
		assertThat(stopper.isAlive()).isFalse();
		assertThat(slow.finished.get()).isTrue();
		assertThat(this.bus.statistics().handledCount()).isEqualTo(1);
	}

	@Test
	void refusedInMemoryPublishFailsTheCallerAndTheFutureAndIsCounted() throws Exception {
		InMemoryEventBusAdapter full = new InMemoryEventBusAdapter(
				InMemoryAdapterSettings.DEFAULTS.withQueueCapacity(1).withEnqueueTimeout(Duration.ofMillis(50)));
		Slow slow = new Slow();
		EventBus bus = EventBus.builder().adapter(full).source("urn:test").build();
		try {
			bus.registerHandlers("slow", slow);
			bus.start();
			bus.publisher().publish("slow.job", Map.of());
			assertThat(slow.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(EventBusOverloadedException.class)
				.isThrownBy(() -> bus.publisher().publish("slow.job", Map.of()))
				.withMessageContaining("'events'");
			CompletableFuture<PublishResult> refused = bus.publisher()
				.publishAsync(EventMessage.of("slow.job", Map.of()).build());
			assertThat(refused).isCompletedExceptionally();
			assertThatExceptionOfType(CompletionException.class).isThrownBy(refused::join)
				.withCauseInstanceOf(EventBusOverloadedException.class);
			assertThat(bus.statistics().publishedCount()).isEqualTo(1);
			assertThat(bus.statistics().publishFailedCount()).isEqualTo(2);
			slow.release.countDown();
		}
		finally {
			bus.close();
			full.close();
		}
	}

	private <T> T start(String name, T bean) {
		this.bus.registerHandlers(name, bean);
		this.bus.start();
		return bean;
	}

	@EventType("order.placed")
	record OrderPlaced(String id, int amount) {
	}

	@EventType("order.shipped")
	record OrderShipped(String id) {
	}

	class Orders {

		final List<Event<OrderPlaced>> envelopes = new CopyOnWriteArrayList<>();

		final List<String> channels = new CopyOnWriteArrayList<>();

		final List<Event<OrderShipped>> shipped = new CopyOnWriteArrayList<>();

		@EventHandler
		void placed(Event<OrderPlaced> event, @EventHeader(value = "channel", required = false) String channel) {
			this.envelopes.add(event);
			if (channel != null) {
				this.channels.add(channel);
			}
			EventBusTests.this.bus.publisher().publish(new OrderShipped(event.payload().id()));
		}

		@EventHandler
		void shipped(Event<OrderShipped> event) {
			this.shipped.add(event);
		}

	}

	static class Flaky {

		final AtomicInteger failuresLeft;

		final List<Instant> calls = new CopyOnWriteArrayList<>();

		final List<Map<String, Object>> payloads = new CopyOnWriteArrayList<>();

		final AtomicBoolean succeeded = new AtomicBoolean();

		Flaky(int failures) {
			this.failuresLeft = new AtomicInteger(failures);
		}

		@EventHandler("flaky.*")
		void on(Map<String, Object> payload) {
			this.calls.add(Instant.now());
			this.payloads.add(payload);
			if (this.failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("failure " + this.calls.size());
			}
			this.succeeded.set(true);
		}

	}

	static class Bystander {

		final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

		@EventHandler("flaky.*")
		void on(Map<String, Object> payload) {
			this.received.add(payload);
		}

	}

	static class Permanent {

		final AtomicInteger calls = new AtomicInteger();

		@EventHandler(types = "permanent.*", retry = @Retry(maxRetries = 4, excludes = IllegalArgumentException.class))
		void on(Map<String, Object> payload) {
			this.calls.incrementAndGet();
			throw new IllegalArgumentException("declined");
		}

	}

	static class MapCondition {

		final List<Object> users = new CopyOnWriteArrayList<>();

		@EventHandler(types = "login.*", condition = "payload.user == 'ann'")
		void on(Map<String, Object> payload) {
			this.users.add(payload.get("user"));
		}

	}

	static class Audit {

		final List<Map<String, Object>> acme = new CopyOnWriteArrayList<>();

		@EventHandler(types = "audit.*", condition = "headers['tenant'] == 'acme'")
		void on(Map<String, Object> payload) {
			this.acme.add(payload);
		}

	}

	static class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicBoolean finished = new AtomicBoolean();

		@EventHandler("slow.*")
		void on(Map<String, Object> payload) throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			this.finished.set(true);
		}

	}

}
