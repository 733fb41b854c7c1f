package dev.eventbus.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.eventbus.rabbitmq.RabbitMqAdapterSettings;
import dev.eventbus.rabbitmq.RabbitMqEventBusAdapter;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * RabbitMQ adapter end to end against plain Spring AMQP, on the local RabbitMQ at
 * {@code 127.0.0.1:5672} ({@code guest}/{@code guest}; another with
 * {@code -Dbench.rabbitmq.address=host:port}), each side with a connection factory of its
 * own with correlated publisher confirms and returns: {@code bus} is the bus on a
 * {@link RabbitMqEventBusAdapter} with its default settings, created as its tests create
 * it, with a handler that only records arrivals; {@code raw-rabbit}
 * ({@link RawRabbitTarget}) a {@link org.springframework.amqp.rabbit.core.RabbitTemplate}
 * publishing the same CloudEvents JSON body, mandatory, each publish completed on its
 * correlated confirm, and a
 * {@link org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer} with
 * manual acknowledgement and the prefetch and concurrency of the bus's subscription;
 * {@code spring-amqp} ({@link SpringRabbitTarget}) the same with Spring Boot's
 * auto-configuration, a JSON message converter and a {@code @RabbitListener}. All publish
 * to a durable topic exchange and consume a durable quorum queue; all keep at most the
 * same number of publishes awaiting their confirm ({@link Options#window()}). Exchanges
 * and queues are named after the run and deleted at its end. With a local broker, the CPU
 * of its {@code beam.smp} process (or of {@code -Dbench.rabbitmq.pid}) is measured too.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eventbus.benchmarks.RabbitMqBenchmark}
 * (sizes: see {@link Options}).
 */
public final class RabbitMqBenchmark {

	/** Group of the bus's handler; its queue is {@code <destination>.<group>}. */
	private static final String GROUP = "bench";

	private RabbitMqBenchmark() {
	}

	/**
	 * Compare on the broker, delete what the run declared, print the table.
	 * @param args ignored
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		Options options = Options.of(50_000, 1_000, 1_000, 2);
		String address = System.getProperty("bench.rabbitmq.address", "127.0.0.1:5672");
		run(URI.create("amqp://guest:guest@" + address + "/%2F"), options);
		System.exit(0);
	}

	/**
	 * A connection factory as the adapter's tests make one: correlated confirms and
	 * returns on.
	 */
	private static CachingConnectionFactory connectionFactory(URI uri) {
		CachingConnectionFactory factory = new CachingConnectionFactory(uri);
		factory.setPublisherConfirmType(ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		return factory;
	}

	/**
	 * Where a thread's CPU goes in the per-event breakdown: the publishing thread, the
	 * RabbitMQ client's connection threads (socket reads), the connection factories'
	 * deferred pools (Spring AMQP runs the publisher confirm callbacks there, and with
	 * them what completes each publish), the client's consumer dispatch threads (the
	 * bus's listener container runs on them), and the handling threads (the bus's handler
	 * threads, the baseline's consumer threads).
	 */
	private static String threadCategory(String thread) {
		if (thread.equals("main")) {
			return "publish";
		}
		if (thread.startsWith("AMQP Connection")) {
			return "amqp-io";
		}
		if (thread.contains("deferred-pool-")) {
			return "confirm";
		}
		if (thread.startsWith("pool-")) {
			return "dispatch";
		}
		if ((thread.startsWith("eventbus-rabbitmq-") && thread.contains("@"))
				|| thread.startsWith(RawRabbitTarget.CONSUMER_THREADS) || thread.startsWith("spring-amqp-")) {
			return "handle";
		}
		return "other";
	}

	private static void run(URI uri, Options options) throws InterruptedException {
		String run = Long.toString(System.currentTimeMillis(), 36);
		RabbitMqAdapterSettings settings = RabbitMqAdapterSettings.DEFAULTS;
		String busDestination = "bench-bus-" + run;
		String busQueue = busDestination + "." + GROUP;
		String busDeadLetters = busDestination + settings.deadLetterSuffix();
		String rawExchange = "bench-raw-" + run;
		String rawQueue = rawExchange + "." + GROUP;
		String springExchange = "bench-spring-" + run;
		// the adapter's prefetch for a subscription of this concurrency
		int prefetch = Math.max(settings.prefetch(), 2 * options.concurrency());
		Map<String, Object> rawQueueArguments = new LinkedHashMap<>();
		rawQueueArguments.put("x-queue-type", "quorum");
		rawQueueArguments.put("x-delivery-limit", settings.deliveryLimit());
		CachingConnectionFactory busFactory = connectionFactory(uri);
		CachingConnectionFactory rawFactory = connectionFactory(uri);
		Recorder recorder = new Recorder();
		try {
			Comparison comparison = new Comparison("RabbitMQ: bus vs plain Spring AMQP", options, recorder)
				.configured("RabbitMQ " + version(rawFactory) + " at " + uri.getHost() + ":" + uri.getPort()
						+ ", one CachingConnectionFactory per side (correlated confirms, returns, "
						+ "publisher connection)")
				.configured("both: durable topic exchange, durable quorum queue (x-delivery-limit "
						+ settings.deliveryLimit() + "), persistent messages, mandatory, each publish completed "
						+ "on its correlated confirm")
				.configured("bus: RabbitMqEventBusAdapter defaults, exchange " + busDestination + ", queue " + busQueue
						+ " (dead letters " + busDeadLetters + "); DirectMessageListenerContainer, "
						+ "1 consumer, prefetch " + prefetch + ", manual ack from " + options.concurrency()
						+ " handler threads; CloudEvents structured JSON")
				.configured("raw-rabbit: RabbitTemplate, exchange " + rawExchange + ", queue " + rawQueue
						+ "; SimpleMessageListenerContainer, " + options.concurrency() + " consumers, prefetch "
						+ prefetch + " each, manual ack; body Payloads.cloudEventText ("
						+ Payloads.cloudEventText(0, System.nanoTime()).length()
						+ " bytes), send time read by scanning it")
				.configured("spring-amqp: Boot's RabbitAutoConfiguration (the same confirms, returns, mandatory), "
						+ "RabbitTemplate.convertAndSend with JacksonJsonMessageConverter, exchange " + springExchange
						+ "; @RabbitListener, " + options.concurrency() + " consumers, prefetch " + prefetch
						+ ", manual ack, on the same kind of quorum queue")
				.cpuByThread(RabbitMqBenchmark::threadCategory);
			long pid = brokerPid(uri);
			if (pid > 0) {
				comparison.cpuOfProcess("broker", () -> ThreadCpu.processCpuNanos(pid))
					.configured("broker CPU: process " + pid + " (beam.smp)");
			}
			try (Target bus = new BusTarget(new RabbitMqEventBusAdapter(busFactory, settings), busDestination,
					options.concurrency(), recorder, () -> -1);
					Target raw = new RawRabbitTarget(rawFactory, rawExchange, rawQueue, rawQueueArguments, prefetch,
							options.concurrency(), recorder);
					Target spring = new SpringRabbitTarget(uri, springExchange, settings.deliveryLimit(), prefetch,
							options.concurrency(), recorder)) {
				comparison.run(bus, List.of(raw, spring));
			}
		}
		finally {
			destroy(busFactory);
			destroy(rawFactory);
			delete(uri, List.of(busQueue, busDeadLetters, rawQueue, SpringRabbitTarget.queue(springExchange)),
					List.of(busDestination, busDeadLetters, rawExchange, springExchange));
		}
	}

	private static String version(CachingConnectionFactory factory) {
		return new RabbitAdmin(factory).getRabbitTemplate()
			.execute((channel) -> String.valueOf(channel.getConnection().getServerProperties().get("version")));
	}

	/**
	 * The broker's process: {@code -Dbench.rabbitmq.pid}, else, for a broker on this
	 * machine, the only {@code beam.smp} process.
	 * @return the pid, or -1 when unknown
	 */
	private static long brokerPid(URI uri) {
		Long given = Long.getLong("bench.rabbitmq.pid");
		if (given != null) {
			return given;
		}
		if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost")) {
			return -1;
		}
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			List<Long> beams = processes.filter((path) -> path.getFileName().toString().matches("\\d+"))
				.filter((path) -> "beam.smp".equals(command(path)))
				.map((path) -> Long.parseLong(path.getFileName().toString()))
				.toList();
			return (beams.size() == 1) ? beams.get(0) : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static String command(Path process) {
		try {
			return Files.readString(process.resolve("comm")).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Close a factory's connections. Spring AMQP may still be putting a publisher channel
	 * back in its cache when its last confirm arrived, which its destroy does not guard
	 * against (as the adapter's tests found); the connections are closed either way.
	 */
	private static void destroy(CachingConnectionFactory factory) {
		try {
			factory.destroy();
		}
		catch (ConcurrentModificationException ex) {
			factory.resetConnection();
		}
	}

	private static void delete(URI uri, List<String> queues, List<String> exchanges) {
		CachingConnectionFactory factory = new CachingConnectionFactory(uri);
		try {
			RabbitAdmin admin = new RabbitAdmin(factory);
			queues.forEach(admin::deleteQueue);
			exchanges.forEach(admin::deleteExchange);
		}
		finally {
			factory.destroy();
		}
	}

}
