package dev.eventbus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;

/**
 * Decides what a subscription reads next, in this order: its retries that are due (XCLAIM by this
 * consumer), its own pending entries left from before a restart or reconnect (XPENDING for this
 * consumer, then XCLAIM), entries of dead consumers idle longer than the claim idle time (XPENDING
 * IDLE, then XCLAIM with that minimum idle time, so a live consumer's entry is never taken), and
 * finally new entries (XREADGROUP &gt;). The attempt of a claimed entry is the delivery count that
 * XPENDING reported plus the claim. Used by the read loop thread only.
 */
final class StreamReader {

	private final StreamGroupCommands commands;

	private final RedisStreamSettings settings;

	private final String destination;

	private final StreamSubscription subscription;

	private boolean recovering = true;

	private String pendingCursor = "0-0";

	private long nextClaim = System.nanoTime();

	StreamReader(StreamGroupCommands commands, RedisStreamSettings settings, String destination,
			StreamSubscription subscription) {
		this.commands = commands;
		this.settings = settings;
		this.destination = destination;
		this.subscription = subscription;
	}

	/**
	 * Look at this consumer's own pending entries again, as after a reconnect.
	 */
	void recoverOwnPending() {
		this.recovering = true;
		this.pendingCursor = "0-0";
	}

	/**
	 * Read up to {@code count} deliveries.
	 * @param connection the connection for the blocking read
	 * @param count most deliveries
	 * @param due retries whose delay has passed, with their attempts, taken from the caller
	 * @param held whether this subscription already holds an entry
	 * @param block the longest wait for new entries when nothing else was found; under a
	 * millisecond the read does not block (XREADGROUP BLOCK 0 would wait forever)
	 * @return the deliveries
	 */
	List<StreamDelivery> read(RedisConnection connection, int count, Map<String, Integer> due, Predicate<String> held,
			Duration block) {
		List<StreamDelivery> deliveries = new ArrayList<>();
		Set<String> taken = new HashSet<>(due.keySet());
		Predicate<String> skip = held.or(taken::contains);
		if (!due.isEmpty()) {
			claim(Duration.ZERO, due, deliveries);
		}
		if (deliveries.size() < count && this.recovering) {
			PendingMessages own = this.commands.ownPending(this.pendingCursor, count - deliveries.size());
			if (own.isEmpty()) {
				this.recovering = false;
			}
			else {
				this.pendingCursor = next(own.get(own.size() - 1).getIdAsString());
				claim(Duration.ZERO, attempts(own, skip), deliveries);
				deliveries.forEach((delivery) -> taken.add(delivery.messageId()));
			}
		}
		if (deliveries.size() < count && System.nanoTime() - this.nextClaim >= 0) {
			int wanted = count - deliveries.size();
			PendingMessages idle = this.commands.idlePending(this.settings.claimIdleTime(), wanted);
			int claimed = claim(this.settings.claimIdleTime(), attempts(idle, skip), deliveries);
			this.nextClaim = System.nanoTime() + ((claimed > 0 && idle.size() == wanted) ? 0
					: this.settings.claimInterval().toNanos());
		}
		if (deliveries.size() < count) {
			boolean wait = deliveries.isEmpty() && block.toMillis() >= 1;
			for (ByteRecord record : this.commands.readNew(connection, count - deliveries.size(),
					wait ? block : null)) {
				deliveries.add(delivery(record, 1));
			}
		}
		return deliveries;
	}

	private static Map<String, Integer> attempts(PendingMessages pending, Predicate<String> held) {
		Map<String, Integer> attempts = new LinkedHashMap<>();
		for (PendingMessage message : pending) {
			if (!held.test(message.getIdAsString())) {
				attempts.put(message.getIdAsString(), (int) Math.min(Integer.MAX_VALUE - 1,
						message.getTotalDeliveryCount()) + 1);
			}
		}
		return attempts;
	}

	private int claim(Duration minIdle, Map<String, Integer> attempts, List<StreamDelivery> deliveries) {
		if (attempts.isEmpty()) {
			return 0;
		}
		List<ByteRecord> records = this.commands.claim(minIdle, new ArrayList<>(attempts.keySet()));
		int claimed = 0;
		for (ByteRecord record : records) {
			String id = record.getId().getValue();
			if (record.getValue() == null || record.getValue().isEmpty()) {
				// deleted (trimmed) while pending: Redis before 7 keeps it in the PEL, so drop it
				this.commands.ack(id);
				continue;
			}
			Integer attempt = attempts.get(id);
			deliveries.add(delivery(record, (attempt != null) ? attempt : 2));
			claimed++;
		}
		return claimed;
	}

	private StreamDelivery delivery(ByteRecord record, int attempt) {
		return new StreamDelivery(this.subscription, this.destination, record.getId().getValue(),
				StreamEntryLayout.read(record.getValue()), attempt);
	}

	/**
	 * The smallest entry id after another.
	 * @param id an entry id {@code <ms>-<seq>}
	 * @return the next id
	 */
	static String next(String id) {
		int dash = id.indexOf('-');
		if (dash < 0) {
			return id + "-1";
		}
		return id.substring(0, dash + 1) + (Long.parseUnsignedLong(id.substring(dash + 1)) + 1);
	}

}
