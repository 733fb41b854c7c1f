package dev.eventbus.memory;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.Delivery;
import dev.eventbus.spi.OutboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a queued message to a member of its group. The event is handed over in
 * process; headers and body are encoded in structured mode only when asked for. Settling
 * it tells its lane, which takes the first settlement and ignores the rest.
 */
final class MemoryDelivery implements Delivery {

	private final MemoryEntry entry;

	private final MemoryLane lane;

	private final MemorySubscription subscription;

	/**
	 * Whether the lane took a settlement of this delivery; guarded by the lane's lock.
	 */
	boolean settled;

	MemoryDelivery(MemoryEntry entry, MemoryLane lane, MemorySubscription subscription) {
		this.entry = entry;
		this.lane = lane;
		this.subscription = subscription;
	}

	MemoryEntry entry() {
		return this.entry;
	}

	MemorySubscription subscription() {
		return this.subscription;
	}

	@Override
	public String destination() {
		return message().destination();
	}

	@Override
	public String messageId() {
		return Long.toString(this.entry.sequence());
	}

	@Override
	public @Nullable String key() {
		return message().key();
	}

	@Override
	public Map<String, String> headers() {
		return message().encoded(ContentMode.STRUCTURED).headers();
	}

	@Override
	public byte[] body() {
		return message().encoded(ContentMode.STRUCTURED).body();
	}

	@Override
	public @Nullable Event<?> event() {
		return message().event();
	}

	@Override
	public int attempt() {
		return this.entry.attempt();
	}

	@Override
	public void ack() {
		this.lane.settle(this, null);
	}

	@Override
	public void retry(Duration delay) {
		this.lane.settle(this, delay);
	}

	private OutboundMessage message() {
		return this.entry.message();
	}

}
