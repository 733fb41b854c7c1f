package dev.eventbus.test.conformance;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.ForwardingDelivery;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import org.jspecify.annotations.Nullable;

/**
 * The adapter under test, with every settlement the runtime makes recorded per
 * destination and message id, with the time it was made: what the shared-subscription
 * cases check the runtime's acknowledgements against. Everything else is the adapter's
 * own.
 */
final class SettlementRecordingAdapter extends ForwardingEventBusAdapter {

	private final JsonEventCodec codec;

	private final Map<String, List<Settlement>> settlements = new ConcurrentHashMap<>();

	SettlementRecordingAdapter(EventBusAdapter delegate, JsonEventCodec codec) {
		super(delegate);
		this.codec = codec;
	}

	/**
	 * The settlements of the message that carried an event.
	 * @param eventId the event id
	 * @return the settlements, in order
	 */
	List<Settlement> settlementsOfEvent(String eventId) {
		return this.settlements.values()
			.stream()
			.filter((list) -> !list.isEmpty() && eventId.equals(list.get(0).eventId()))
			.findFirst()
			.orElse(List.of());
	}

	@Override
	public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
		return delegate().subscribe(spec, new DeliveryListener() {

			@Override
			public void onDelivery(Delivery delivery) {
				listener.onDelivery(new Recorded(delivery));
			}

			@Override
			public void onBatch(List<? extends Delivery> deliveries) {
				listener.onBatch(deliveries.stream().map(Recorded::new).toList());
			}

		});
	}

	/**
	 * Every settlement of every message, in the order each message's were made.
	 * @return the settlements of each message
	 */
	Collection<List<Settlement>> allSettlements() {
		return this.settlements.values();
	}

	/**
	 * One settlement.
	 *
	 * @param eventId the id of the event settled, or {@code null} when it could not be
	 * read
	 * @param acknowledged {@code true} for an acknowledgement, {@code false} for a retry
	 * @param nanoTime when it was made
	 */
	record Settlement(@Nullable String eventId, boolean acknowledged, long nanoTime) {
	}

	private final class Recorded extends ForwardingDelivery {

		Recorded(Delivery delivery) {
			super(delivery);
		}

		@Override
		public void ack() {
			record(true);
			delegate().ack();
		}

		@Override
		public void retry(Duration delay) {
			record(false);
			delegate().retry(delay);
		}

		private void record(boolean acknowledged) {
			Event<?> event = delegate().event();
			String eventId = (event != null) ? event.id() : eventId();
			SettlementRecordingAdapter.this.settlements
				.computeIfAbsent(destination() + "/" + messageId(), (key) -> new CopyOnWriteArrayList<>())
				.add(new Settlement(eventId, acknowledged, System.nanoTime()));
		}

		private @Nullable String eventId() {
			try {
				return SettlementRecordingAdapter.this.codec.decodeEnvelope(headers(), body(), "unknown").id();
			}
			catch (EventDecodingException ex) {
				return null;
			}
		}

	}

}
