package dev.eventbus.memory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.api.PublishException;
import dev.eventbus.spi.AdapterCapabilities;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.DeadLetterStore;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.test.conformance.AdapterConformanceSuite;

/**
 * Runs the conformance suite on the in-memory adapter. The broker is one
 * {@link InMemoryEventBusAdapter} per case; each adapter the suite creates is an
 * application instance connected to it: it sends and subscribes through the shared
 * adapter, and closing it closes only its own subscriptions and stops its sends, the way
 * a Kafka client leaves the broker running. The broker closes with the last instance.
 */
class InMemoryConformanceTest extends AdapterConformanceSuite {

	private final InMemoryEventBusAdapter broker = new InMemoryEventBusAdapter();

	private final AtomicInteger openInstances = new AtomicInteger();

	@Override
	protected EventBusAdapter createAdapter() {
		this.openInstances.incrementAndGet();
		return new Instance();
	}

	@Override
	protected Duration redeliveryTimeout() {
		return Duration.ofSeconds(5);
	}

	@Override
	protected Duration receiveTimeout() {
		return Duration.ofSeconds(15);
	}

	private final class Instance implements EventBusAdapter {

		private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

		private final AtomicBoolean closed = new AtomicBoolean();

		@Override
		public String name() {
			return InMemoryConformanceTest.this.broker.name();
		}

		@Override
		public AdapterCapabilities capabilities() {
			return InMemoryConformanceTest.this.broker.capabilities();
		}

		@Override
		public CompletableFuture<SendResult> send(OutboundMessage message) {
			if (this.closed.get()) {
				return CompletableFuture.failedFuture(new PublishException("Instance adapter closed"));
			}
			return InMemoryConformanceTest.this.broker.send(message);
		}

		@Override
		public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
			if (this.closed.get()) {
				throw new IllegalStateException("Instance adapter closed");
			}
			Subscription subscription = InMemoryConformanceTest.this.broker.subscribe(spec, listener);
			this.subscriptions.add(subscription);
			return subscription;
		}

		@Override
		public AdapterHealth health() {
			return InMemoryConformanceTest.this.broker.health();
		}

		@Override
		public Optional<DeadLetterStore> deadLetterStore() {
			return InMemoryConformanceTest.this.broker.deadLetterStore();
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(false, true)) {
				this.subscriptions.forEach((subscription) -> subscription.close(Duration.ZERO));
				if (InMemoryConformanceTest.this.openInstances.decrementAndGet() == 0) {
					InMemoryConformanceTest.this.broker.close();
				}
			}
		}

	}

}
