package dev.eventbus.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The Redis baseline on plain Lettuce: XADD with the async API on one shared connection
 * (commands pipelined, as the bus's reactive XADD), and one reader thread doing
 * XREADGROUP COUNT up to {@code batchSize} BLOCK 1000 on a dedicated connection, handing
 * entries to {@code concurrency} worker threads, each of which records the entry then
 * acknowledges it with an async XACK on the shared connection. At most {@code batchSize}
 * entries are unacknowledged at a time. Entries have the fields {@code id}, {@code type},
 * {@code subject} and {@code event} ({@value Payloads#SIZE} bytes).
 */
final class RawLettuceTarget implements Target {

	private static final String GROUP = "raw-bench";

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> shared;

	private final StatefulRedisConnection<String, String> reading;

	private final RedisAsyncCommands<String, String> commands;

	private final ExecutorService workers;

	private final Semaphore slots;

	private final String key;

	private final int batchSize;

	private final Recorder recorder;

	private final Thread reader;

	private volatile boolean running = true;

	RawLettuceTarget(int port, String key, int concurrency, int batchSize, Recorder recorder) {
		this.client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		this.shared = this.client.connect();
		this.reading = this.client.connect();
		this.commands = this.shared.async();
		this.key = key;
		this.batchSize = batchSize;
		this.recorder = recorder;
		this.slots = new Semaphore(batchSize);
		this.workers = Executors.newFixedThreadPool(concurrency);
		this.reading.sync()
			.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
		this.reader = new Thread(this::read, "raw-redis-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void read() {
		Consumer<String> consumer = Consumer.from(GROUP, "raw-1");
		while (this.running) {
			try {
				if (!this.slots.tryAcquire(1, TimeUnit.SECONDS)) {
					continue;
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			int free = 1 + this.slots.drainPermits();
			int count = Math.min(free, this.batchSize);
			this.slots.release(free - count);
			List<StreamMessage<String, String>> messages;
			try {
				messages = this.reading.sync()
					.xreadgroup(consumer, XReadArgs.Builder.count(count).block(1000),
							XReadArgs.StreamOffset.lastConsumed(this.key));
			}
			catch (RuntimeException ex) {
				this.slots.release(count);
				if (this.running) {
					throw ex;
				}
				return;
			}
			this.slots.release(count - messages.size());
			for (StreamMessage<String, String> message : messages) {
				this.workers.execute(() -> handle(message));
			}
		}
	}

	private void handle(StreamMessage<String, String> message) {
		this.recorder.record(Payloads.sentNanos(message.getBody().get("event")));
		this.commands.xack(this.key, GROUP, message.getId()).whenComplete((count, ex) -> this.slots.release());
	}

	@Override
	public String name() {
		return "raw-lettuce";
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		Map<String, String> fields = Map.of("id", "raw-" + sequence, "type", "bench.sample", "subject",
				Payloads.key(sequence), "event", Payloads.rawText(sequence, sentNanos));
		return this.commands.xadd(this.key, fields).toCompletableFuture();
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.reader.join(3_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.workers.shutdown();
		this.reading.close();
		this.shared.close();
		this.client.shutdown();
	}

}
