package dev.eventbus.memory;

import java.time.Duration;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.spi.AbstractDelivery;
import dev.eventbus.spi.ContentMode;
import dev.eventbus.spi.EncodedMessage;
import org.jspecify.annotations.Nullable;

/**
 * One delivery of a queued message to one member of a group. The event is handed over in process;
 * headers and body are encoded in structured mode on first use. Settling is thread safe and takes
 * effect once: later calls are ignored, as are settlements of a delivery that was handed back to
 * its lane because its subscription closed (unless the message still waits in the lane, in which
 * case an ack removes it).
 */
final class MemoryDelivery extends AbstractDelivery {

	private final MemoryGroup group;

	private final MemoryLane lane;

	private final MemoryEntry entry;

	private final MemorySubscription member;

	private final int attempt;

	MemoryDelivery(MemoryGroup group, MemoryLane lane, MemoryEntry entry, MemorySubscription member, int attempt) {
		this.group = group;
		this.lane = lane;
		this.entry = entry;
		this.member = member;
		this.attempt = attempt;
	}

	@Override
	public String destination() {
		return this.entry.message().destination();
	}

	@Override
	public String messageId() {
		return Long.toString(this.entry.sequence());
	}

	@Override
	public @Nullable String key() {
		return this.entry.message().key();
	}

	@Override
	public Map<String, String> headers() {
		return encoded().headers();
	}

	@Override
	public byte[] body() {
		return encoded().body().clone();
	}

	private EncodedMessage encoded() {
		return this.entry.message().encoded(ContentMode.STRUCTURED);
	}

	@Override
	public @Nullable Event<?> event() {
		return this.entry.message().event();
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	protected void acknowledge() {
		this.group.ack(this);
	}

	@Override
	protected void redeliver(Duration delay) {
		this.group.retry(this, delay);
	}

	MemoryLane lane() {
		return this.lane;
	}

	MemoryEntry entry() {
		return this.entry;
	}

	MemorySubscription member() {
		return this.member;
	}

	@Override
	public String toString() {
		return "MemoryDelivery[destination=" + destination() + ", group=" + this.group.name() + ", messageId="
				+ messageId() + ", attempt=" + this.attempt + "]";
	}

}
