package dev.eventbus.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

	/** Returned by a drain task's step when its lane is empty and the task should linger. */
	static final MemoryDelivery IDLE = new MemoryDelivery();

	private static final int NOT_ACKED_INLINE = 0;

	private static final int ACKED_INLINE = 1;

	private static final int INLINE_ACK_APPLIED = 2;

	private final MemoryGroup group;

	private final MemoryLane lane;

	private final MemoryEntry entry;

	private final MemorySubscription member;

	private final int attempt;

	/** The drain thread running the listener; read and written by that thread only. */
	private @Nullable Thread runningOn;

	private static final VarHandle INLINE_ACK;

	static {
		try {
			INLINE_ACK = MethodHandles.lookup().findVarHandle(MemoryDelivery.class, "inlineAck", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * {@link #NOT_ACKED_INLINE} (the default: a volatile write in the constructor would cost a
	 * fence per delivery), {@link #ACKED_INLINE} or {@link #INLINE_ACK_APPLIED}. Written with
	 * release and read with acquire semantics: no reader relies on a store-load order, a reader
	 * that sees a stale value looks again later or under the lane's monitor.
	 */
	@SuppressWarnings("unused") // accessed through INLINE_ACK
	private int inlineAck;

	/** When handling began, handed over by the drain task from the previous delivery; drain thread only. */
	private long startNanos;

	/** When the bus finished handling; drain thread only. */
	private long handledNanos;

	/** Whether this delivery took the lane's last queued message. */
	private final boolean lastQueued;

	private MemoryDelivery() {
		this.group = null;
		this.lane = null;
		this.entry = null;
		this.member = null;
		this.attempt = 0;
		this.lastQueued = false;
	}

	MemoryDelivery(MemoryGroup group, MemoryLane lane, MemoryEntry entry, MemorySubscription member, int attempt,
			boolean lastQueued) {
		this.group = group;
		this.lane = lane;
		this.entry = entry;
		this.member = member;
		this.attempt = attempt;
		this.lastQueued = lastQueued;
	}

	@Override
	public String destination() {
		return this.entry.message().destination();
	}

	@Override
	public String messageId() {
		return Long.toString(this.entry.number());
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

	@Override
	public long startNanos() {
		return this.startNanos;
	}

	@Override
	public void handled(long nanoTime) {
		this.handledNanos = nanoTime;
	}

	/**
	 * Start this delivery's handling when the previous delivery's ended: the drain task runs it
	 * straight after that one.
	 * @param previous the delivery the drain task ran last
	 */
	void startAfter(MemoryDelivery previous) {
		this.startNanos = previous.handledNanos;
	}

	/**
	 * Whether this delivery took the lane's last queued message: after it, the drain task takes
	 * what arrived in the lane's inbox meanwhile.
	 * @return whether the queue was empty after it
	 */
	boolean lastQueued() {
		return this.lastQueued;
	}

	/**
	 * Mark the thread that runs the listener, or clear it when the listener returned.
	 * @param thread the drain thread, or {@code null}
	 */
	void runningOn(@Nullable Thread thread) {
		this.runningOn = thread;
	}

	/**
	 * Record an acknowledgement made by the listener on the drain thread that runs it, for the
	 * drain task to apply when it takes the next message.
	 * @return whether it was recorded; {@code false} on any other thread
	 */
	boolean ackInline() {
		if (this.runningOn != Thread.currentThread()) {
			return false;
		}
		INLINE_ACK.setRelease(this, ACKED_INLINE);
		return true;
	}

	/**
	 * Whether an acknowledgement was recorded inline and not applied yet.
	 * @return whether it waits to be applied
	 */
	boolean isAckedInline() {
		return (int) INLINE_ACK.getAcquire(this) == ACKED_INLINE;
	}

	/**
	 * Claim the application of an acknowledgement recorded inline; called with the group's lock
	 * held, so exactly one caller applies it.
	 * @return whether the caller must apply it
	 */
	boolean takeInlineAck() {
		if ((int) INLINE_ACK.getAcquire(this) != ACKED_INLINE) {
			return false;
		}
		INLINE_ACK.setRelease(this, INLINE_ACK_APPLIED);
		return true;
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
