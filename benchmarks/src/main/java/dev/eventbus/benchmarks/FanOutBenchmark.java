package dev.eventbus.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.eventbus.api.EventMessage;
import dev.eventbus.kafka.KafkaAdapterSettings;
import dev.eventbus.kafka.KafkaEventBusAdapter;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.SubscribeOptions;
import dev.eventbus.spi.DeliveryListener;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * What handlers cost on one destination: H handlers of one group, each taking one of H
 * event types, fed N events spread over the types, in the shared layout (one subscription
 * for the group and destination) and in the isolated layout (each handler its own
 * subscription, as every handler was before subscriptions were shared). Prints, per
 * transport, H and layout: the deliveries the adapter handed to the runtime (records
 * fetched from the broker), the CPU time per event of this JVM plus, for Redis, of
 * {@code redis-server}, the live threads and the TCP connections to the broker.
 * <p>
 * Run: {@code java -Xms1g -Xmx2g -cp benchmarks/target/benchmarks.jar
 * dev.eventbus.benchmarks.FanOutBenchmark [transports] [events]}; transports default to
 * {@code memory,kafka,redis}, events to 20,000. Kafka runs in this JVM, Redis as a child
 * {@code redis-server}.
 */
public final class FanOutBenchmark {

	private static final int[] HANDLERS = { 1, 10, 50 };

	private FanOutBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<String> transports = List.of(((args.length > 0) ? args[0] : "memory,kafka,redis").split(","));
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : 20_000;
		System.out.printf("FanOutBenchmark: %,d events per run, load average %.2f%n", events,
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		System.out.printf("%-8s %4s %-9s %12s %14s %14s %9s %12s%n", "adapter", "H", "layout", "deliveries",
				"CPU/event us", "broker us/ev", "threads", "connections");
		for (String transport : transports) {
			switch (transport) {
				case "memory" -> measure("memory", InMemoryEventBusAdapter::new, events, () -> 0L, -1);
				case "kafka" -> kafka(events);
				case "redis" -> redis(events);
				default -> throw new IllegalArgumentException("Unknown transport " + transport);
			}
		}
		System.exit(0);
	}

	private static void kafka(int events) throws Exception {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6);
		broker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "4"));
		broker.afterPropertiesSet();
		try {
			String bootstrap = broker.getBrokersAsString();
			int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
			measure("kafka",
					() -> KafkaEventBusAdapter.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
							Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap), Duration.ofSeconds(1),
							KafkaAdapterSettings.DEFAULTS.withTopics(6, (short) 1)),
					events, () -> 0L, port);
		}
		finally {
			broker.destroy();
		}
	}

	private static void redis(int events) throws Exception {
		try (RedisServer server = RedisServer.start()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port()));
			factory.afterPropertiesSet();
			factory.start();
			try {
				measure("redis", () -> new RedisEventBusAdapter(factory, RedisStreamSettings.of("fanout")), events,
						() -> ThreadCpu.processCpuNanos(server.pid()), server.port());
			}
			finally {
				factory.destroy();
			}
		}
	}

	/**
	 * Measure every H and layout on one transport, after one run that warms the JIT up.
	 */
	private static void measure(String name, Supplier<EventBusAdapter> adapters, int events,
			Supplier<Long> brokerCpuNanos, int brokerPort) throws Exception {
		run(name, adapters, events, brokerCpuNanos, brokerPort, 10, false, "warmup");
		for (int handlers : HANDLERS) {
			for (boolean isolated : new boolean[] { false, true }) {
				System.out.println(run(name, adapters, events, brokerCpuNanos, brokerPort, handlers, isolated,
						isolated ? "isolated" : "shared"));
			}
		}
	}

	private static String run(String name, Supplier<EventBusAdapter> adapters, int events,
			Supplier<Long> brokerCpuNanos, int brokerPort, int handlers, boolean isolated, String layout)
			throws Exception {
		CountingAdapter adapter = new CountingAdapter(adapters.get());
		String destination = "fanout-" + name + "-" + handlers + "-" + layout;
		EventBus bus = EventBus.builder().adapter(adapter).defaultGroup("bench").build();
		AtomicLong handled = new AtomicLong();
		try {
			bus.start();
			for (int i = 0; i < handlers; i++) {
				bus.subscribe("bench.t" + i, JsonNode.class, (event) -> handled.incrementAndGet(),
						SubscribeOptions.DEFAULTS.withId("h" + i)
							.withDestinations(destination)
							.withConcurrency(1)
							.withIsolated(isolated));
			}
			Awaits.await(Duration.ofSeconds(120),
					() -> bus.subscriptions().stream().allMatch((view) -> view.state() == SubscriptionState.RUNNING),
					"subscriptions did not start");
			long cpu = processCpuNanos();
			long brokerCpu = brokerCpuNanos.get();
			List<CompletableFuture<?>> sent = new ArrayList<>();
			for (int i = 0; i < events; i++) {
				sent.add(bus.publisher()
					.publishAsync(EventMessage.of("bench.t" + (i % handlers), Map.of("n", i))
						.subject("s-" + (i % 64))
						.destination(destination)
						.build()));
				if (sent.size() == 1_000) {
					CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
					sent.clear();
				}
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
			Awaits.await(Duration.ofMinutes(5), () -> handled.get() >= events,
					() -> "handled " + handled.get() + " of " + events);
			double cpuPerEvent = (processCpuNanos() - cpu) / 1_000.0 / events;
			double brokerPerEvent = (brokerCpuNanos.get() - brokerCpu) / 1_000.0 / events;
			return String.format("%-8s %4d %-9s %,12d %14.1f %14s %9d %12s", name, handlers, layout,
					adapter.deliveries.get(), cpuPerEvent,
					(brokerPort > 0 && brokerPerEvent > 0) ? String.format("%.1f", brokerPerEvent) : "-",
					Thread.activeCount(), (brokerPort > 0) ? String.valueOf(connections(brokerPort)) : "-");
		}
		finally {
			bus.close();
			adapter.close();
		}
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * Established TCP connections to a local port, from {@code /proc/net/tcp}, counted
	 * from the client side.
	 */
	private static long connections(int port) throws IOException {
		String portHex = String.format(":%04X", port);
		long count = 0;
		for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(file);
			if (!Files.exists(path)) {
				continue;
			}
			for (String line : Files.readAllLines(path)) {
				String[] columns = line.trim().split("\\s+");
				if (columns.length > 3 && columns[2].endsWith(portHex) && columns[3].equals("01")) {
					count++;
				}
			}
		}
		return count;
	}

	/** The adapter under test, counting the deliveries it hands to the runtime. */
	private static final class CountingAdapter extends ForwardingEventBusAdapter {

		private final AtomicLong deliveries = new AtomicLong();

		CountingAdapter(EventBusAdapter delegate) {
			super(delegate);
		}

		@Override
		public Subscription subscribe(SubscriptionSpec spec, DeliveryListener listener) {
			return delegate().subscribe(spec, (delivery) -> {
				this.deliveries.incrementAndGet();
				listener.onDelivery(delivery);
			});
		}

	}

}
