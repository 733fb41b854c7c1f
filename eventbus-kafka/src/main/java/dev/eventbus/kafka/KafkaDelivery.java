package dev.eventbus.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.spi.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * One record given to a subscription's listener. Settling only records the outcome; the
 * listener container's thread, which waits for it, then acknowledges or negatively
 * acknowledges the record with spring-kafka, so settling works from any thread. The first
 * outcome wins: settlements after the delivery was abandoned by a closing subscription
 * are ignored.
 */
final class KafkaDelivery implements Delivery {

	private final ConsumerRecord<String, byte[]> record;

	private final int attempt;

	private final Thread thread;

	private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

	private volatile @Nullable Map<String, String> headers;

	KafkaDelivery(ConsumerRecord<String, byte[]> record, int attempt, Thread thread) {
		this.record = record;
		this.attempt = attempt;
		this.thread = thread;
	}

	@Override
	public String destination() {
		return this.record.topic();
	}

	/**
	 * The record's position, {@code partition@offset}.
	 * @return the position
	 */
	@Override
	public String messageId() {
		return position(this.record.partition(), this.record.offset());
	}

	@Override
	public @Nullable String key() {
		return this.record.key();
	}

	/**
	 * The record headers as UTF-8 text, each decoded when read; of a header repeated, the
	 * last value. The record timestamp is the header
	 * {@link dev.eventbus.codec.JsonEventCodec#BROKER_TIME} unless the record has it.
	 * @return the headers
	 */
	@Override
	public Map<String, String> headers() {
		Map<String, String> result = this.headers;
		if (result == null) {
			result = new RecordHeaderMap(this.record.headers(), this.record.timestamp());
			this.headers = result;
		}
		return result;
	}

	@Override
	public byte[] body() {
		byte[] value = this.record.value();
		return (value != null) ? value : new byte[0];
	}

	@Override
	public int attempt() {
		return this.attempt;
	}

	@Override
	public void ack() {
		settle(Outcome.ACK);
	}

	@Override
	public void retry(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		settle(new Outcome(false, delay));
	}

	/**
	 * Give up on the delivery, for a subscription that closes: its listener's thread is
	 * interrupted if it was still running it, and the record is neither acknowledged nor
	 * committed.
	 */
	void abandon() {
		if (settle(Outcome.ABANDONED)) {
			this.thread.interrupt();
		}
	}

	private boolean settle(Outcome settled) {
		return this.outcome.complete(settled);
	}

	boolean settled() {
		return this.outcome.isDone();
	}

	/**
	 * Wait, on the container thread that polled the record, until the delivery is settled
	 * or abandoned. Interrupts do not end the wait; the thread's interrupt status is
	 * kept.
	 * @return the outcome
	 */
	Outcome awaitOutcome() {
		return this.outcome.join();
	}

	ConsumerRecord<String, byte[]> record() {
		return this.record;
	}

	static String position(int partition, long offset) {
		return partition + "@" + offset;
	}

	/**
	 * A copy of a record's headers as UTF-8 text, detached from the record.
	 * @param record the record
	 * @return the headers; of a header repeated, the last value
	 */
	static Map<String, String> headers(ConsumerRecord<?, ?> record) {
		return new LinkedHashMap<>(new RecordHeaderMap(record.headers()));
	}

	@Override
	public String toString() {
		return "KafkaDelivery[topic=" + destination() + ", position=" + messageId() + ", attempt=" + this.attempt + "]";
	}

	/**
	 * How a delivery was settled.
	 *
	 * @param ack whether it was acknowledged
	 * @param delay the redelivery delay of a retry, or {@code null} when acknowledged or
	 * abandoned
	 */
	record Outcome(boolean ack, @Nullable Duration delay) {

		static final Outcome ACK = new Outcome(true, null);

		static final Outcome ABANDONED = new Outcome(false, null);

		boolean abandoned() {
			return this == ABANDONED;
		}

	}

}
