package dev.eventbus.web.realtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.EventMessage;
import dev.eventbus.api.EventPublisher;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent events of the real-time bridge on the in-memory bus: a client reads the
 * pushes of its rooms, its user and broadcasts, and nobody else's; a forwarding rule
 * pushes bus events with no code; a client that reconnects with {@code Last-Event-ID}
 * gets what it missed; unauthenticated and unauthorized clients are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=realtime-sse-test", "eventbus.realtime.enabled=true",
				"eventbus.realtime.forward[0].types=order.*", "eventbus.realtime.forward[0].room='order:' + subject",
				"eventbus.realtime.forward[0].user=payload.customer",
				"management.endpoints.web.exposure.include=health,eventbus",
				"management.endpoint.health.show-details=always" })
class RealtimeSseTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	RealtimeBridge bridge;

	@Autowired
	RealtimeClients clients;

	@Autowired
	EventPublisher publisher;

	private final List<SseReader> readers = new ArrayList<>();

	@AfterEach
	void close() {
		this.readers.forEach(SseReader::close);
	}

	@Test
	void aClientReadsItsRoomsItsUserAndBroadcastsAndNothingElse() throws Exception {
		SseReader alice = open("alice", "?room=r1", null);
		SseReader bob = open("bob", "?room=r2", null);
		this.bridge.publishToRoom("r1", "room.pushed", Map.of("n", 1));
		this.bridge.publishToRoom("r2", "room.pushed", Map.of("n", 2));
		this.bridge.publishToUser("alice", "user.pushed", Map.of("n", 3));
		this.bridge.broadcast("all.pushed", Map.of("n", 4));
		assertThat(alice.next()).contains("\"n\":1");
		assertThat(alice.next()).contains("\"n\":3");
		assertThat(alice.next()).contains("\"n\":4");
		assertThat(bob.next()).contains("\"n\":2");
		assertThat(bob.next()).contains("\"n\":4");
		assertThat(alice.poll()).isNull();
		assertThat(this.bridge.roomMembers("r1")).containsExactly("alice");
		HttpClient http = HttpClient.newHttpClient();
		String endpoint = http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/eventbus")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(endpoint).contains("\"realtime\":{").contains("\"sseClients\":").contains("\"r1\",\"r2\"");
		String health = http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(health).contains("\"eventbusRealtime\"").contains("\"sseClients\":");
	}

	@Test
	void aForwardingRulePushesBusEventsToTheRoomAndUserItComputes() throws Exception {
		SseReader watcher = open("carol", "?room=order:o-7", null);
		SseReader owner = open("dave", "", null);
		this.publisher.publish(EventMessage.of("order.shipped", Map.of("customer", "dave")).subject("o-7").build());
		String pushed = watcher.next();
		assertThat(pushed).contains("\"type\":\"order.shipped\"").contains("\"subject\":\"o-7\"");
		assertThat(owner.next()).contains("\"type\":\"order.shipped\"");
	}

	@Test
	void aClientThatReconnectsWithLastEventIdGetsWhatItMissed() throws Exception {
		SseReader first = open("alice", "?room=resume", null);
		this.bridge.publishToRoom("resume", "step", Map.of("n", 1));
		first.next();
		String lastId = first.lastId;
		first.close();
		this.bridge.publishToRoom("resume", "step", Map.of("n", 2));
		this.bridge.publishToRoom("resume", "step", Map.of("n", 3));
		await().atMost(WAIT).until(() -> this.clients.pushes() >= 3);
		// the server learns that the first stream is gone when it writes to it
		SseReader again = open("alice", "?room=resume", lastId);
		assertThat(again.next()).contains("\"n\":2");
		assertThat(again.next()).contains("\"n\":3");
	}

	@Test
	void unauthenticatedAndUnauthorizedClientsAreRefused() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri("")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.body()).contains("authenticated users only");
		HttpResponse<String> outsider = http.send(
				HttpRequest.newBuilder(uri("?room=secret")).header("Authorization", basic("bob")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(outsider.statusCode()).isEqualTo(403);
		assertThat(outsider.body()).contains("User 'bob' may not join room 'secret'");
	}

	private SseReader open(String user, String query, @Nullable String lastEventId) throws Exception {
		SseReader reader = open(this.port, user, query, lastEventId);
		this.readers.add(reader);
		await().atMost(WAIT).until(() -> this.clients.sseClients() >= this.readers.size());
		return reader;
	}

	/**
	 * Open an SSE stream of the application on a port.
	 * @param port the port
	 * @param user the user, whose password is the test application's
	 * @param query rooms, such as {@code ?room=a}
	 * @param lastEventId the {@code Last-Event-ID} to send, or {@code null}
	 * @return the stream's reader
	 */
	static SseReader open(int port, String user, String query, @Nullable String lastEventId) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/eventbus/sse" + query))
			.header("Authorization", basic(user));
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		return new SseReader(response.body());
	}

	private URI uri(String query) {
		return URI.create("http://localhost:" + this.port + "/eventbus/sse" + query);
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + RealtimeTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	/** Reads the data lines of an SSE stream on a thread of its own. */
	static final class SseReader {

		private final BlockingQueue<String> data = new LinkedBlockingQueue<>();

		private final java.io.InputStream stream;

		volatile @Nullable String lastId;

		SseReader(java.io.InputStream stream) {
			this.stream = stream;
			Thread thread = new Thread(this::read, "sse-reader");
			thread.setDaemon(true);
			thread.start();
		}

		private void read() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.stream, StandardCharsets.UTF_8))) {
				String pendingId = null;
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.startsWith("id:")) {
						pendingId = line.substring(3).trim();
					}
					else if (line.startsWith("data:")) {
						this.lastId = pendingId;
						this.data.add(line.substring(5));
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		String next() throws InterruptedException {
			String next = this.data.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(next).as("a push within " + WAIT).isNotNull();
			return next;
		}

		@Nullable String poll() throws InterruptedException {
			return this.data.poll(300, TimeUnit.MILLISECONDS);
		}

		void close() {
			try {
				this.stream.close();
			}
			catch (IOException ex) {
				// closed already
			}
		}

	}

}
