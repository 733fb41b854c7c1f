package dev.eventbus.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.eventbus.sqs.SqsAdapterSettings;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS baseline on a plain {@link SqsAsyncClient}: sends grouped into
 * {@code SendMessageBatch} requests of up to 10 with the adapter's linger, one poller
 * thread long-polling {@code ReceiveMessage} for up to 10 messages within the adapter's
 * in-flight bound, handing them to {@code concurrency} worker threads, and deletes
 * grouped into {@code DeleteMessageBatch} requests of up to 10 with the same linger.
 * Body: {@value Payloads#SIZE} characters, or see {@link Body}.
 * <p>
 * With {@code -Dbench.rawBatching=sdk} the baseline batches its sends and deletes through
 * the SDK's {@link SqsAsyncBatchManager} instead (same batch size and linger), to tell
 * the batch manager's own cost from the bus's. As {@code raw-sqs-cloudevents} its body is
 * a CloudEvents structured JSON document the size and shape of the bus's
 * ({@link Payloads#cloudEventText}), to tell what the bus's wire format costs the SDK and
 * the server from what the bus itself costs; as {@code raw-sqs-cloudevents-minimal} the
 * smallest CloudEvents document that carries what the bus reads
 * ({@link Payloads#minimalCloudEventText}), to tell what the envelope itself costs.
 */
final class RawSqsTarget implements Target {

	private final SqsAsyncClient client;

	private final RequestCounter counter;

	private final String queueUrl;

	private final SqsAdapterSettings settings;

	private final Recorder recorder;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final ExecutorService workers;

	private final Semaphore inFlight;

	private final LingerBatcher<SendMessageBatchRequestEntry> sends;

	private final LingerBatcher<String> deletes;

	private final @Nullable SqsAsyncBatchManager batchManager;

	private final Thread poller;

	private final Body body;

	private volatile boolean running = true;

	/**
	 * A baseline on its own client, which it closes.
	 * @param client the client
	 * @param counter counts the client's requests
	 * @param body what it sends
	 * @param settings the adapter settings it applies
	 * @param concurrency worker threads
	 * @param recorder records the events received
	 */
	RawSqsTarget(SqsAsyncClient client, RequestCounter counter, Body body, SqsAdapterSettings settings, int concurrency,
			Recorder recorder) {
		this.client = client;
		this.body = body;
		this.counter = counter;
		this.settings = settings;
		this.recorder = recorder;
		this.queueUrl = client.createQueue((request) -> request.queueName(body.queue())).join().queueUrl();
		this.workers = Executors.newFixedThreadPool(concurrency);
		this.inFlight = new Semaphore(settings.maxInFlightMessages());
		this.sends = new LingerBatcher<>(10, settings.sendLinger(), this.scheduler, this::sendBatch);
		this.deletes = new LingerBatcher<>(10, settings.sendLinger(), this.scheduler, this::deleteBatch);
		this.batchManager = sdkBatching() ? SqsAsyncBatchManager.builder()
			.client(client)
			.scheduledExecutor(this.scheduler)
			.overrideConfiguration((batch) -> batch.maxBatchSize(10).sendRequestFrequency(settings.sendLinger()))
			.build() : null;
		this.poller = new Thread(this::poll, "raw-sqs-poller");
		this.poller.setDaemon(true);
		this.poller.start();
	}

	/**
	 * Whether the baseline batches through the SDK's batch manager
	 * ({@code -Dbench.rawBatching=sdk}).
	 * @return whether it does
	 */
	static boolean sdkBatching() {
		return "sdk".equals(System.getProperty("bench.rawBatching"));
	}

	private CompletableFuture<?> sendBatch(List<SendMessageBatchRequestEntry> entries) {
		return this.client.sendMessageBatch((request) -> request.queueUrl(this.queueUrl).entries(entries))
			.thenAccept((response) -> {
				if (!response.failed().isEmpty()) {
					throw new IllegalStateException("send failed: " + response.failed());
				}
			});
	}

	private CompletableFuture<?> deleteBatch(List<String> receipts) {
		List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(receipts.size());
		for (int i = 0; i < receipts.size(); i++) {
			entries.add(DeleteMessageBatchRequestEntry.builder()
				.id(String.valueOf(i))
				.receiptHandle(receipts.get(i))
				.build());
		}
		return this.client.deleteMessageBatch((request) -> request.queueUrl(this.queueUrl).entries(entries));
	}

	private void poll() {
		while (this.running) {
			int permits;
			try {
				if (!this.inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
					continue;
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			int drained = this.inFlight.drainPermits();
			permits = 1 + Math.min(9, drained);
			this.inFlight.release(drained - (permits - 1));
			List<Message> messages;
			try {
				int wanted = permits;
				messages = this.client
					.receiveMessage((request) -> request.queueUrl(this.queueUrl)
						.maxNumberOfMessages(wanted)
						.waitTimeSeconds((int) this.settings.waitTime().toSeconds())
						.visibilityTimeout((int) this.settings.visibilityTimeout().toSeconds()))
					.join()
					.messages();
			}
			catch (RuntimeException ex) {
				this.inFlight.release(permits);
				if (!this.running) {
					return;
				}
				continue;
			}
			this.inFlight.release(permits - messages.size());
			for (Message message : messages) {
				this.workers.execute(() -> handle(message));
			}
		}
	}

	private void handle(Message message) {
		this.recorder.record(Payloads.sentNanosOfAny(message.body()));
		SqsAsyncBatchManager manager = this.batchManager;
		CompletableFuture<?> deleted = (manager != null)
				? manager
					.deleteMessage((request) -> request.queueUrl(this.queueUrl).receiptHandle(message.receiptHandle()))
				: this.deletes.add(message.receiptHandle());
		deleted.whenComplete((done, ex) -> this.inFlight.release());
	}

	@Override
	public String name() {
		return this.body.target();
	}

	@Override
	public CompletableFuture<?> publish(int sequence, long sentNanos) {
		SqsAsyncBatchManager manager = this.batchManager;
		if (manager != null) {
			return manager.sendMessage(
					(request) -> request.queueUrl(this.queueUrl).messageBody(this.body.text(sequence, sentNanos)));
		}
		return this.sends.add(SendMessageBatchRequestEntry.builder()
			.id(String.valueOf(sequence))
			.messageBody(this.body.text(sequence, sentNanos))
			.build());
	}

	@Override
	public long requests() {
		return this.counter.total();
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.poller.join(this.settings.waitTime().plusSeconds(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.workers.shutdown();
		if (this.batchManager != null) {
			this.batchManager.close();
		}
		this.scheduler.shutdown();
		this.client.close();
	}

	/**
	 * What a baseline sends: its name, queue and body.
	 */
	enum Body {

		/**
		 * {@value Payloads#SIZE} characters, or {@code -Dbench.rawBodySize} (a
		 * diagnostic: a body the length of the CloudEvents one without the quotes JSON
		 * escapes).
		 */
		RAW("raw-sqs", "bench-raw") {

			@Override
			String text(int sequence, long sentNanos) {
				return Payloads.rawText(sequence, sentNanos, RAW_SIZE);
			}

		},

		/**
		 * The bus's CloudEvents structured JSON document.
		 */
		CLOUD_EVENTS("raw-sqs-cloudevents", "bench-raw-ce") {

			@Override
			String text(int sequence, long sentNanos) {
				return Payloads.cloudEventText(sequence, sentNanos);
			}

		},

		/**
		 * The smallest CloudEvents structured JSON document that carries what the bus
		 * reads.
		 */
		CLOUD_EVENTS_MINIMAL("raw-sqs-cloudevents-minimal", "bench-raw-ce-min") {

			@Override
			String text(int sequence, long sentNanos) {
				return Payloads.minimalCloudEventText(sequence, sentNanos);
			}

		};

		private static final int RAW_SIZE = Integer.getInteger("bench.rawBodySize", Payloads.SIZE);

		private final String target;

		private final String queue;

		Body(String target, String queue) {
			this.target = target;
			this.queue = queue;
		}

		/**
		 * The name of the baseline that sends it.
		 * @return the name
		 */
		String target() {
			return this.target;
		}

		/**
		 * The queue of the baseline that sends it.
		 * @return the queue name
		 */
		String queue() {
			return this.queue;
		}

		/**
		 * A body.
		 * @param sequence the event's number
		 * @param sentNanos the send time
		 * @return the body
		 */
		abstract String text(int sequence, long sentNanos);

	}

}
