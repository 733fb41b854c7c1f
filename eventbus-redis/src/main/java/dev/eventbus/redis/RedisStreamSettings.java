package dev.eventbus.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the Redis Streams adapter. Connection settings are not here: they belong to
 * the {@code RedisConnectionFactory} (Spring Boot's {@code spring.data.redis.*}).
 * Immutable.
 *
 * @param consumerName name of this application instance within consumer groups; each
 * subscription reads as consumer {@code <consumerName>:<subscription name>}. Keep it
 * stable across restarts (so a restarted instance reads its own pending entries first)
 * and unique per running instance
 * @param keyPrefix prefix of every stream key: the stream of destination {@code orders}
 * is {@code <keyPrefix>orders}
 * @param batchSize most entries read by one command, and most entries a subscription
 * reads ahead: it holds at most {@code max(batchSize, concurrency)} entries read and not
 * yet acknowledged (or a batch handler's batch size, when larger), while at most
 * {@code concurrency} of them (or of its batches) are being handled. Not the size of a
 * batch handler's batches, which its subscription spec gives
 * @param pollTimeout how long one XREADGROUP blocks waiting for new entries; also bounds
 * how long closing a subscription waits for its read loop
 * @param claimIdleTime how long an entry stays pending with a consumer that no longer
 * refreshes it (a dead instance) before another consumer claims it; live consumers
 * refresh their entries every third of this time, so handlers may run longer than it
 * @param claimInterval how often a subscription looks for entries to claim from dead
 * consumers
 * @param maxLength approximate number of entries a stream keeps (XADD MAXLEN ~), or
 * {@code null} to keep everything; trimming also drops entries that are still pending
 * @param newGroupStart where a consumer group created by a subscription starts reading
 * @param healthTimeout longest wait for the PING of a health check
 */
public record RedisStreamSettings(String consumerName, String keyPrefix, int batchSize, Duration pollTimeout,
		Duration claimIdleTime, Duration claimInterval, @Nullable Long maxLength, GroupStart newGroupStart,
		Duration healthTimeout) {

	/** Default read batch size. */
	public static final int DEFAULT_BATCH_SIZE = 100;

	/** Default block time of a read. */
	public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(1);

	/** Default idle time before entries of a dead consumer are claimed. */
	public static final Duration DEFAULT_CLAIM_IDLE_TIME = Duration.ofSeconds(30);

	/** Default interval between looks for entries to claim. */
	public static final Duration DEFAULT_CLAIM_INTERVAL = Duration.ofSeconds(5);

	/** Default health check timeout. */
	public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

	public RedisStreamSettings {
		Objects.requireNonNull(consumerName, "consumerName");
		Objects.requireNonNull(keyPrefix, "keyPrefix");
		Objects.requireNonNull(newGroupStart, "newGroupStart");
		if (consumerName.isBlank()) {
			throw new IllegalArgumentException("consumerName must not be blank");
		}
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
		}
		requirePositive(pollTimeout, "pollTimeout");
		requirePositive(claimIdleTime, "claimIdleTime");
		requirePositive(claimInterval, "claimInterval");
		requirePositive(healthTimeout, "healthTimeout");
		if (maxLength != null && maxLength < 1) {
			throw new IllegalArgumentException("maxLength must be at least 1, was " + maxLength);
		}
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
	}

	/**
	 * Defaults with a consumer name.
	 * @param consumerName the consumer name of this instance
	 * @return the settings
	 */
	public static RedisStreamSettings of(String consumerName) {
		return new RedisStreamSettings(consumerName, "", DEFAULT_BATCH_SIZE, DEFAULT_POLL_TIMEOUT,
				DEFAULT_CLAIM_IDLE_TIME, DEFAULT_CLAIM_INTERVAL, null, GroupStart.EARLIEST, DEFAULT_HEALTH_TIMEOUT);
	}

	/**
	 * The host name, a consumer name that is stable across restarts of a host or pod.
	 * @return the host name, or {@code eventbus} when it cannot be resolved
	 */
	public static String defaultConsumerName() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "eventbus";
		}
	}

	public RedisStreamSettings withClaim(Duration claimIdleTime, Duration claimInterval) {
		return new RedisStreamSettings(this.consumerName, this.keyPrefix, this.batchSize, this.pollTimeout,
				claimIdleTime, claimInterval, this.maxLength, this.newGroupStart, this.healthTimeout);
	}

	public RedisStreamSettings withPollTimeout(Duration pollTimeout) {
		return new RedisStreamSettings(this.consumerName, this.keyPrefix, this.batchSize, pollTimeout,
				this.claimIdleTime, this.claimInterval, this.maxLength, this.newGroupStart, this.healthTimeout);
	}

	public RedisStreamSettings withMaxLength(@Nullable Long maxLength) {
		return new RedisStreamSettings(this.consumerName, this.keyPrefix, this.batchSize, this.pollTimeout,
				this.claimIdleTime, this.claimInterval, maxLength, this.newGroupStart, this.healthTimeout);
	}

	/**
	 * Where a new consumer group starts.
	 */
	public enum GroupStart {

		/**
		 * At the first entry the stream still holds ({@code XGROUP CREATE ... 0}):
		 * nothing published before is missed.
		 */
		EARLIEST("0"),

		/**
		 * After the last entry ({@code XGROUP CREATE ... $}): only entries added after
		 * the group was created.
		 */
		LATEST("$");

		private final String offset;

		GroupStart(String offset) {
			this.offset = offset;
		}

		String offset() {
			return this.offset;
		}

	}

}
