package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.EventHandler;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventBusObservationTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter(InMemoryAdapterSettings.DEFAULTS);

	private final List<String> receivedTraceparents = new CopyOnWriteArrayList<>();

	private final AtomicInteger stoppedHandles = new AtomicInteger();

	private EventBus bus;

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void publishAndHandleAreObservedWithTagsAndTraceContextTravelsInHeaders() {
		this.registry.observationConfig().observationHandler(new FakePropagation());
		this.bus = EventBus.builder()
			.adapter(this.adapter)
			.defaultGroup("obs")
			.observationRegistry(this.registry)
			.handlerDefaults(HandlerDefaults.DEFAULTS
				.withRetry(new RetrySettings(1, Duration.ofMillis(10), 1.0, Duration.ofMillis(10), Duration.ZERO)))
			.build();
		Handlers handlers = new Handlers();
		this.bus.registerHandlers("handlers", handlers);
		this.bus.start();

		this.bus.publisher().publish("job.ok", Map.of());
		this.bus.publisher().publish("job.bad", Map.of());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.bus.statistics().deadLetteredCount() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stoppedHandles.get() == 3);

		assertThat(this.registry).hasObservationWithNameEqualTo("eventbus.publish")
			.that()
			.hasLowCardinalityKeyValue("adapter", "memory")
			.hasLowCardinalityKeyValue("destination", "events")
			.hasLowCardinalityKeyValue("type", "job.ok")
			.hasLowCardinalityKeyValue("outcome", "success");
		assertThat(this.registry).hasHandledContextsThatSatisfy((contexts) -> {
			List<String> outcomes = contexts.stream()
				.filter((c) -> c instanceof EventBusObservations.HandleContext)
				.map((c) -> c.getLowCardinalityKeyValue("outcome").getValue() + ":"
						+ c.getLowCardinalityKeyValue("type").getValue() + ":"
						+ c.getLowCardinalityKeyValue("group").getValue())
				.toList();
			assertThat(outcomes).containsExactlyInAnyOrder("success:job.ok:obs", "retry:job.bad:obs",
					"dead-letter:job.bad:obs");
		});
		assertThat(this.receivedTraceparents).hasSize(3).allMatch((value) -> value.startsWith("00-trace-"));
	}

	static class Handlers {

		@EventHandler("job.*")
		void on(Map<String, Object> payload, @dev.eventbus.api.EventHeader("traceparent") String traceparent) {
			if (EventContext.current().orElseThrow().type().equals("job.bad")) {
				throw new IllegalStateException("bad job");
			}
		}

	}

	class FakePropagation implements ObservationHandler<Observation.Context> {

		@Override
		@SuppressWarnings("unchecked")
		public void onStart(Observation.Context context) {
			if (context instanceof SenderContext<?> sender) {
				((SenderContext<Object>) sender).getSetter()
					.set(sender.getCarrier(), "traceparent", "00-trace-" + System.nanoTime() + "-01");
			}
			if (context instanceof ReceiverContext<?> receiver) {
				String value = ((ReceiverContext<Object>) receiver).getGetter()
					.get(receiver.getCarrier(), "traceparent");
				if (value != null) {
					EventBusObservationTests.this.receivedTraceparents.add(value);
				}
			}
		}

		@Override
		public void onStop(Observation.Context context) {
			if (context instanceof EventBusObservations.HandleContext) {
				EventBusObservationTests.this.stoppedHandles.incrementAndGet();
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
