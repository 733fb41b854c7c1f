package dev.eventbus.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.spi.Delivery;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a stream entry to a subscription. {@link #ack()} acknowledges the entry
 * (XACK); {@link #retry(Duration)} leaves it pending with this consumer and has it
 * claimed again after the delay. Its headers are the entry's, plus the milliseconds of
 * the entry id as {@link JsonEventCodec#BROKER_TIME} unless the entry has that header.
 * Used by one handler thread at a time; settling is thread safe.
 */
final class StreamDelivery implements Delivery {

	private final StreamSubscription subscription;

	private final String destination;

	private final String entryId;

	private final StreamEntryLayout.Entry entry;

	private final int attempt;

	private final Map<String, String> headers;

	StreamDelivery(StreamSubscription subscription, String destination, String entryId, StreamEntryLayout.Entry entry,
			int attempt) {
		this.subscription = subscription;
		this.destination = destination;
		this.entryId = entryId;
		this.entry = entry;
		this.attempt = attempt;
		this.headers = withBrokerTime(entry.headers(), entryId);
	}

	/**
	 * The headers of an entry with the time Redis gave it: the milliseconds part of its
	 * id, the same on every delivery.
	 */
	private static Map<String, String> withBrokerTime(Map<String, String> headers, String entryId) {
		int dash = entryId.indexOf('-');
		if (dash <= 0 || headers.containsKey(JsonEventCodec.BROKER_TIME)) {
			return headers;
		}
		Map<String, String> all = new LinkedHashMap<>(headers);
		all.put(JsonEventCodec.BROKER_TIME, entryId.substring(0, dash));
		return Collections.unmodifiableMap(all);
	}

	@Override
	public String destination() {
		return this.destination;
	}

	/**
	 * The stream entry id.
	 * @return the id, such as {@code 1718000000000-0}
	 */
	@Override
	public String messageId() {
		return this.entryId;
	}

	@Override
	public @Nullable String key() {
		return this.entry.key();
	}

	@Override
	public Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public byte[] body() {
		return this.entry.body().clone();
	}

	/**
	 * The delivery count Redis keeps for the entry in the group (XPENDING), this delivery
	 * included.
	 * @return the attempt
	 */
	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public void ack() {
		this.subscription.acknowledge(this);
	}

	@Override
	public void retry(Duration delay) {
		this.subscription.retryLater(this, delay);
	}

	@Override
	public String toString() {
		return "StreamDelivery[destination=" + this.destination + ", entryId=" + this.entryId + ", attempt="
				+ this.attempt + "]";
	}

}
