package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.EventHandler;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the type patterns a subscription tells its adapter, for adapters that filter
 * by type at the broker.
 */
class SubscriptionTypesTests {

	private final TypeRecordingAdapter adapter = new TypeRecordingAdapter();

	private final EventBus bus = EventBus.builder().adapter(this.adapter).source("urn:test").build();

	@AfterEach
	void close() {
		this.bus.close();
		this.adapter.close();
	}

	@Test
	void aSharedSubscriptionOpensWithThePatternsOfEveryHandlerAndWidensWhenOneJoins() {
		this.bus.registerHandlers("photos", new Photos());
		this.bus.start();
		assertThat(this.adapter.specs).singleElement()
			.satisfies((spec) -> assertThat(spec.types()).containsExactlyInAnyOrder("photo.*", "video.uploaded"));
		this.bus.subscribe("audio.*", Map.class, (event) -> {
		}, SubscribeOptions.DEFAULTS.withId("audio"));
		assertThat(this.adapter.specs).as("the handler joined the open subscription").hasSize(1);
		assertThat(this.adapter.added).containsExactly(List.of("audio.*"));
	}

	static class Photos {

		@EventHandler("photo.*")
		void onPhoto(Map<String, Object> photo) {
		}

		@EventHandler({ "video.uploaded", "photo.*" })
		void onUpload(Map<String, Object> upload) {
		}

	}

	/**
	 * The in-memory adapter, recording the specs it was given and the types added.
	 */
	static final class TypeRecordingAdapter extends ForwardingEventBusAdapter {

		final List<SubscriptionSpec> specs = new CopyOnWriteArrayList<>();

		final List<List<String>> added = new CopyOnWriteArrayList<>();

		TypeRecordingAdapter() {
			super(new InMemoryEventBusAdapter());
		}

		@Override
		public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
			this.specs.add(spec);
			Subscription subscription = delegate().subscribe(spec, listener);
			return new Subscription() {

				@Override
				public SubscriptionSpec spec() {
					return spec;
				}

				@Override
				public SubscriptionState state() {
					return subscription.state();
				}

				@Override
				public void addTypes(List<String> types) {
					TypeRecordingAdapter.this.added.add(types);
				}

				@Override
				public void close(Duration drainTimeout) {
					subscription.close(drainTimeout);
				}

			};
		}

	}

}
