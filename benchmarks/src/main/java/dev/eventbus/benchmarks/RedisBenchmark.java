package dev.eventbus.benchmarks;

import java.util.List;

import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis Streams adapter end to end against raw Lettuce XADD / XREADGROUP / XACK (the raw
 * floor) and Spring Data Redis ({@link SpringRedisTarget}), with {@code redis-benchmark}
 * XADD as the ceiling, all on one {@code redis-server} child process started on a free
 * port: the same read batch size, the same consumer concurrency, XADD pipelined on one
 * shared connection for both.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eventbus.benchmarks.RedisBenchmark}
 * (sizes: see {@link Options}).
 */
public final class RedisBenchmark {

	private RedisBenchmark() {
	}

	/**
	 * Start the server, compare, print the table.
	 * @param args ignored
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		Options options = Options.of(50_000, 1_000, 1_000, 2);
		try (RedisServer server = RedisServer.start()) {
			run(server, options);
		}
		System.exit(0);
	}

	/**
	 * Where a thread's CPU goes: the publishing thread, Lettuce's event loops, the
	 * threads that read and handle entries, and the rest.
	 */
	private static String threadCategory(String thread) {
		if (thread.equals("main")) {
			return "publish";
		}
		if (thread.startsWith("lettuce-")) {
			return "lettuce-io";
		}
		if (thread.startsWith("eventbus-") || thread.startsWith("spring-redis-") || thread.startsWith("pool-")
				|| thread.startsWith("raw-redis-")) {
			return "consume";
		}
		return "other";
	}

	private static void run(RedisServer server, Options options) throws Exception {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()));
		factory.afterPropertiesSet();
		factory.start();
		RedisStreamSettings settings = RedisStreamSettings.of("bench");
		Recorder recorder = new Recorder();
		RedisCeiling ceiling = new RedisCeiling(server.port());
		Comparison comparison = new Comparison("Redis Streams: bus vs raw Lettuce", options, recorder)
			.configured(server.version() + ", child process on port " + server.port() + ", no persistence")
			.configured("read batch size " + settings.batchSize() + " (both), XREADGROUP BLOCK "
					+ settings.pollTimeout().toMillis() + " ms (both), no MAXLEN")
			.configured("bus: RedisEventBusAdapter on LettuceConnectionFactory (shared native connection), "
					+ "CloudEvents structured JSON in 'event'")
			.configured("bus: async XADD and XACK on the shared connection, one XACK on its way per subscription "
					+ "(ids acknowledged meanwhile coalesced), at most max(batch-size, concurrency) entries read "
					+ "and not acknowledged")
			.configured("raw: Lettuce async XADD on one connection, async XACK per entry, "
					+ "at most batch-size entries unacknowledged")
			.configured("spring-data-redis: Boot's Redis auto-configuration (Lettuce), reactive StreamOperations.add, "
					+ "StreamMessageListenerContainer with the same batch size and poll timeout, "
					+ options.concurrency() + " receive subscriptions in one group, XACK per entry after handling")
			.cpuByThread(RedisBenchmark::threadCategory)
			.cpuOfProcess("redis-server", () -> ThreadCpu.processCpuNanos(server.pid()))
			.ceiling("redis-benchmark", ceiling::measure)
			.configured("ceiling: " + String.join(" ", ceiling.command())
				.replace(Payloads.rawText(0, 0), "<" + Payloads.SIZE + " bytes>"));
		try (Target bus = new BusTarget(new RedisEventBusAdapter(factory, settings), "bench-bus", options.concurrency(),
				recorder, () -> -1);
				Target raw = new RawLettuceTarget(server.port(), "bench-raw", options.concurrency(),
						settings.batchSize(), recorder);
				Target spring = new SpringRedisTarget(server.port(), options.concurrency(), settings.batchSize(),
						settings.pollTimeout(), recorder)) {
			comparison.run(bus, List.of(raw, spring));
		}
		finally {
			factory.destroy();
		}
	}

}
