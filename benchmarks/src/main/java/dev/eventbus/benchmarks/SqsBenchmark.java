package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.sqs.SqsAdapterSettings;
import dev.eventbus.sqs.SqsEventBusAdapter;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * SQS adapter end to end against a raw {@link SqsAsyncClient} with batched send, receive
 * and delete, on one ElasticMQ in this JVM, each side with its own client whose requests
 * are counted by a {@link RequestCounter}: the adapter's defaults (send linger, long-poll
 * wait, visibility, in-flight bound) apply to all, and the same consumer concurrency.
 * Three baselines: {@code raw-sqs} sends {@value Payloads#SIZE}-character bodies (the
 * issue's target refers to it), {@code raw-sqs-cloudevents} CloudEvents structured JSON
 * bodies the size and shape of the bus's, so that the run tells what the wire format
 * costs the SDK and ElasticMQ from what the bus itself costs, and
 * {@code raw-sqs-cloudevents-minimal} the smallest CloudEvents structured JSON body that
 * carries what the bus reads, so that it tells what any CloudEvents envelope costs. The
 * Spring peer, {@code spring-cloud-aws}, is {@link SpringSqsTarget}. The table prints
 * each baseline's ratios to {@code raw-sqs} too. ElasticMQ keeps getting faster for
 * several rounds after it starts, hence 8 warm-up rounds by default.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eventbus.benchmarks.SqsBenchmark}
 * (sizes: see {@link Options}; {@code -Dbench.sendLingerMs} the send and delete linger of
 * the bus and the raw baselines, the adapter's default otherwise).
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
		Options options = Options.of(10_000, 200, 200, 8);
		try (ElasticMqServer server = new ElasticMqServer()) {
			run(server, options);
		}
		System.exit(0);
	}

	private static String threadCategory(String thread) {
		if (thread.equals("main")) {
			return "publish";
		}
		if (thread.startsWith("elasticmq")) {
			return "server";
		}
		if (thread.startsWith("aws-java-sdk-NettyEventLoop")) {
			return "netty";
		}
		if (thread.startsWith("sdk-async-response")) {
			return "sdk-done";
		}
		if (thread.startsWith("eventbus-sqs-poll") || thread.equals("raw-sqs-poller")) {
			return "poll";
		}
		if (thread.startsWith("eventbus-") || thread.startsWith("pool-") || thread.startsWith("spring-sqs")) {
			return "handle";
		}
		return "other";
	}

	private static void run(ElasticMqServer server, Options options) throws Exception {
		SqsAdapterSettings settings = SqsAdapterSettings.DEFAULTS.withSendLinger(Duration
			.ofMillis(Long.getLong("bench.sendLingerMs", SqsAdapterSettings.DEFAULTS.sendLinger().toMillis())));
		Map<String, RequestCounter> counters = new LinkedHashMap<>();
		counters.put("bus", new RequestCounter());
		Map<String, SdkCallMetrics> metrics = new LinkedHashMap<>();
		if (SdkCallMetrics.enabled()) {
			metrics.put("bus", new SdkCallMetrics());
		}
		for (RawSqsTarget.Body body : RawSqsTarget.Body.values()) {
			counters.put(body.target(), new RequestCounter());
			if (SdkCallMetrics.enabled()) {
				metrics.put(body.target(), new SdkCallMetrics());
			}
		}
		counters.put("spring-cloud-aws", new RequestCounter());
		Recorder recorder = new Recorder();
		Comparison comparison = new Comparison("SQS: bus vs raw SqsAsyncClient", options, recorder)
			.configured("ElasticMQ (in this JVM) at " + server.endpoint() + ", standard queues, one client per side "
					+ "(default Netty async HTTP client), MD5 checks of bodies "
					+ (ElasticMqServer.md5Checks() ? "on (SDK default)" : "off (-Dbench.md5=false)"))
			.configured("both: batches of up to 10 for send and delete, linger " + settings.sendLinger().toMillis()
					+ " ms; receive up to 10, wait " + settings.waitTime().toSeconds() + " s, visibility "
					+ settings.visibilityTimeout().toSeconds() + " s, at most " + settings.maxInFlightMessages()
					+ " messages in flight, one poller")
			.configured(
					"bus: SqsEventBusAdapter defaults (own batching of sends and deletes), group queue bench-bus__bench; "
							+ "raw: "
							+ (RawSqsTarget.sdkBatching() ? "SDK SqsAsyncBatchManager (-Dbench.rawBatching=sdk)"
									: "own batching"))
			.configured("raw bodies: " + bodies() + " (raw-sqs-cloudevents: the bus's shape; -minimal: without "
					+ "datacontenttype and correlationid)")
			.configured("req/event: every HTTP request of the side's client during the throughput phase / events")
			.configured("spring-cloud-aws: Spring Cloud AWS SQS auto-configuration, SqsTemplate.sendAsync (one "
					+ "SendMessage per event), @SqsListener with max-concurrent-messages "
					+ settings.maxInFlightMessages()
					+ ", 10 per poll, the same wait and visibility, ON_SUCCESS acknowledgement (deletes batched by 10 "
					+ "or every second)")
			.cpuByThread(SqsBenchmark::threadCategory);
		try (SqsAsyncClient busClient = server.client(counters.get("bus"), metrics.get("bus"));
				Target bus = new BusTarget(new SqsEventBusAdapter(busClient, settings), "bench-bus",
						options.concurrency(), recorder, counters.get("bus")::total);
				Target raw = baseline(server, RawSqsTarget.Body.RAW, counters, metrics, settings, options, recorder);
				Target cloudEvents = baseline(server, RawSqsTarget.Body.CLOUD_EVENTS, counters, metrics, settings,
						options, recorder);
				Target minimal = baseline(server, RawSqsTarget.Body.CLOUD_EVENTS_MINIMAL, counters, metrics, settings,
						options, recorder);
				Target spring = new SpringSqsTarget(server.endpoint(), counters.get("spring-cloud-aws"), settings,
						recorder)) {
			comparison.run(bus, List.of(raw, cloudEvents, minimal, spring));
			System.out.println();
			counters.forEach((name, counter) -> System.out
				.println("requests by operation, whole run: " + name + " " + counter.snapshot()));
			counters.forEach((name, counter) -> System.out
				.println("mean call duration (ms) by operation, whole run: " + name + " " + counter.meanCallMillis()));
			counters.forEach((name, counter) -> System.out.println(
					"mean entries and request bytes by operation, whole run: " + name + " " + counter.meanSizes()));
			metrics.forEach((name, published) -> published.means()
				.forEach((operation, means) -> System.out
					.println("SDK metrics (means, ms), whole run: " + name + " " + operation + " " + means)));
		}
	}

	private static Target baseline(ElasticMqServer server, RawSqsTarget.Body body, Map<String, RequestCounter> counters,
			Map<String, SdkCallMetrics> metrics, SqsAdapterSettings settings, Options options, Recorder recorder) {
		RequestCounter counter = counters.get(body.target());
		return new RawSqsTarget(server.client(counter, metrics.get(body.target())), counter, body, settings,
				options.concurrency(), recorder);
	}

	private static String bodies() {
		StringBuilder bodies = new StringBuilder();
		for (RawSqsTarget.Body body : RawSqsTarget.Body.values()) {
			String text = body.text(1234, System.nanoTime());
			bodies.append((bodies.length() > 0) ? ", " : "")
				.append(body.target())
				.append(" ")
				.append(text.getBytes(StandardCharsets.UTF_8).length)
				.append(" bytes (")
				.append(text.chars().filter((c) -> c == '"').count())
				.append(" quotes)");
		}
		return bodies.toString();
	}

}
