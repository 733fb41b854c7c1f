package dev.eventbus.benchmarks;

import dev.eventbus.sqs.SqsAdapterSettings;
import dev.eventbus.sqs.SqsEventBusAdapter;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * SQS adapter end to end against a raw {@link SqsAsyncClient} with batched send, receive and
 * delete, on one ElasticMQ in this JVM, each side with its own client whose requests are counted by
 * a {@link RequestCounter}: the adapter's defaults (send linger, long-poll wait, visibility, in-flight
 * bound) apply to both, and the same consumer concurrency.
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.eventbus.benchmarks.SqsBenchmark}
 * (sizes: see {@link Options}).
 */
public final class SqsBenchmark {

	private SqsBenchmark() {
	}

	/**
	 * Start ElasticMQ, compare, print the table and the requests per API operation.
	 * @param args ignored
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		Options options = Options.of(10_000, 200, 200, 3);
		try (ElasticMqServer server = new ElasticMqServer()) {
			run(server, options);
		}
		System.exit(0);
	}

	private static void run(ElasticMqServer server, Options options) throws Exception {
		SqsAdapterSettings settings = SqsAdapterSettings.DEFAULTS;
		RequestCounter busRequests = new RequestCounter();
		RequestCounter rawRequests = new RequestCounter();
		Recorder recorder = new Recorder();
		Comparison comparison = new Comparison("SQS: bus vs raw SqsAsyncClient", options, recorder)
			.configured("ElasticMQ (in this JVM) at " + server.endpoint() + ", standard queues, one client per side "
					+ "(default Netty async HTTP client)")
			.configured("both: batches of up to 10 for send and delete, linger " + settings.sendLinger().toMillis()
					+ " ms; receive up to 10, wait " + settings.waitTime().toSeconds() + " s, visibility "
					+ settings.visibilityTimeout().toSeconds() + " s, at most " + settings.maxInFlightMessages()
					+ " messages in flight, one poller")
			.configured("bus: SqsEventBusAdapter defaults (SDK SqsAsyncBatchManager), group queue bench-bus__bench; "
					+ "raw: " + (RawSqsTarget.sdkBatching() ? "SDK SqsAsyncBatchManager (-Dbench.rawBatching=sdk)"
							: "own batching") + ", queue bench-raw, body: " + (RawSqsTarget.cloudEventBodies()
									? "CloudEvents structured JSON like the bus's (-Dbench.rawBody=cloudevents)"
									: Payloads.SIZE + " characters"))
			.configured("req/event: every HTTP request of the side's client during the throughput phase / events");
		try (SqsAsyncClient busClient = server.client(busRequests);
				SqsAsyncClient rawClient = server.client(rawRequests);
				Target bus = new BusTarget(new SqsEventBusAdapter(busClient, settings), "bench-bus",
						options.concurrency(), recorder, busRequests::total);
				Target raw = new RawSqsTarget(rawClient, rawRequests, "bench-raw", settings, options.concurrency(),
						recorder)) {
			comparison.run(bus, raw);
			System.out.println();
			System.out.println("requests by operation, whole run: bus " + busRequests.snapshot());
			System.out.println("requests by operation, whole run: raw " + rawRequests.snapshot());
			System.out.println("mean call duration (ms) by operation, whole run: bus " + busRequests.meanCallMillis());
			System.out.println("mean call duration (ms) by operation, whole run: raw " + rawRequests.meanCallMillis());
		}
	}

}
