package dev.eventbus.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.test.Awaits;
import dev.eventbus.web.realtime.RealtimeBridge;
import dev.eventbus.web.realtime.RealtimeClients;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The real-time bridge under many clients: C server-sent-event clients (default 1,000) in
 * R rooms (default 100) of one application on the in-memory bus; each round pushes one
 * event to every room and waits until every client has it. Prints the delivery latency
 * (from the push to the client reading it) at p50 and p99, deliveries per second, and the
 * heap per connected client (after a full GC, clients and server in this one JVM).
 * <p>
 * Run: {@code java -Xms1g -Xmx2g -cp benchmarks/target/benchmarks.jar
 * dev.eventbus.benchmarks.RealtimeLoadCheck [clients] [rooms] [rounds]}.
 */
public final class RealtimeLoadCheck {

	private RealtimeLoadCheck() {
	}

	public static void main(String[] args) throws Exception {
		int clients = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000;
		int rooms = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 60;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LoadApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.application.name=realtime-load", "eventbus.realtime.enabled=true",
					"eventbus.observation.enabled=false", "server.tomcat.threads.max=50",
					"spring.cloud.aws.region.static=us-east-1", "eventbus.adapter=memory",
					"server.tomcat.max-connections=" + (clients + 100), "logging.level.root=WARN")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			RealtimeBridge bridge = context.getBean(RealtimeBridge.class);
			RealtimeClients connected = context.getBean(RealtimeClients.class);
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			long heapBefore = usedHeapAfterGc(memory);
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			Latencies latencies = new Latencies();
			for (int client = 0; client < clients; client++) {
				String user = "user-" + client;
				HttpRequest request = HttpRequest
					.newBuilder(URI.create("http://localhost:" + port + "/eventbus/sse?room=room-" + (client % rooms)))
					.header("Authorization",
							"Basic " + Base64.getEncoder()
								.encodeToString((user + ":load").getBytes(StandardCharsets.UTF_8)))
					.build();
				http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new DataLines(latencies)));
			}
			Awaits.await(Duration.ofMinutes(2), () -> connected.sseClients() == clients, "clients did not connect");
			long heapPerClient = (usedHeapAfterGc(memory) - heapBefore) / clients;
			int warmup = Math.max(1, rounds / 6);
			long started = 0;
			for (int round = 0; round < rounds; round++) {
				if (round == warmup) {
					latencies.reset();
					started = System.nanoTime();
				}
				long expected = latencies.received.get() + clients;
				for (int room = 0; room < rooms; room++) {
					bridge.publishToRoom("room-" + room, "load.tick", Map.of("sent", System.nanoTime()));
				}
				Awaits.await(Duration.ofSeconds(30), () -> latencies.received.get() >= expected,
						"round did not reach every client");
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			List<Long> sorted = latencies.sorted();
			System.out.printf(
					"RealtimeLoadCheck: %,d SSE clients in %,d rooms, %,d measured rounds of %,d deliveries%n", clients,
					rooms, rounds - warmup, clients);
			System.out.printf("delivery latency p50 %.2f ms, p99 %.2f ms; %,.0f deliveries/s; heap %,d B per client%n",
					percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.size() / seconds,
					heapPerClient);
		}
	}

	private static long usedHeapAfterGc(MemoryMXBean memory) {
		System.gc();
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static long percentile(List<Long> sorted, double quantile) {
		return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * quantile)));
	}

	/** Latencies of the deliveries, from the push's send time in its data. */
	static final class Latencies {

		final AtomicLong received = new AtomicLong();

		private volatile ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();

		void add(long latency) {
			this.samples.add(latency);
			this.received.incrementAndGet();
		}

		void reset() {
			this.samples = new ConcurrentLinkedQueue<>();
		}

		List<Long> sorted() {
			List<Long> sorted = new ArrayList<>(this.samples);
			sorted.sort(null);
			return sorted;
		}

	}

	/** Reads the {@code data:} lines of one SSE stream. */
	static final class DataLines implements Flow.Subscriber<String> {

		private static final String SENT = "\"sent\":";

		private final Latencies latencies;

		DataLines(Latencies latencies) {
			this.latencies = latencies;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			int at = line.indexOf(SENT);
			if (line.startsWith("data:") && at >= 0) {
				int start = at + SENT.length();
				int end = start;
				while (end < line.length() && Character.isDigit(line.charAt(end))) {
					end++;
				}
				this.latencies.add(System.nanoTime() - Long.parseLong(line.substring(start, end)));
			}
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

	/** The application: any user name logs in with the password {@code load}. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LoadApplication {

		@Bean
		UserDetailsService users() {
			return (name) -> User.withUsername(name).password("{noop}load").roles("USER").build();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.httpBasic(Customizer.withDefaults())
				.csrf(AbstractHttpConfigurer::disable)
				.build();
		}

	}

}
