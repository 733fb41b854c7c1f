package dev.eventbus.web.realtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eventbus.redis.RedisServerProcess;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.SubscriptionView;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.BrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of an application share a Redis the test starts; real STOMP clients
 * ({@code @stomp/stompjs} on Node.js) connect to one or the other. Pushes made on either
 * instance reach exactly the clients they are for: a room's members on both instances, a
 * user's clients and no one else, everyone for a broadcast; a client may not join a room
 * the authorizer keeps it out of, and a client without credentials is refused.
 */
class RealtimeAcrossInstancesTests {

	@RegisterExtension
	static final BrokerExtension<RedisServerProcess> redis = new BrokerExtension<>(RedisServerProcess::start);

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeEach
	void startTwoInstances() {
		this.a = start("a");
		this.b = start("b");
	}

	@AfterEach
	void stop() {
		this.a.close();
		this.b.close();
	}

	@Test
	void roomUserAndBroadcastPushesReachExactlyTheirClientsOnEitherInstance() throws Exception {
		Process clients = new ProcessBuilder("node", "stomp-clients.mjs", url(this.a), url(this.b))
			.directory(nodeScripts().toFile())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		BufferedReader output = new BufferedReader(
				new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readLine(output));
		RealtimeBridge onA = this.a.getBean(RealtimeBridge.class);
		RealtimeBridge onB = this.b.getBean(RealtimeBridge.class);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
			onA.broadcast("warmup", Map.of());
			return ready.isDone();
		});
		assertThat(ready.get()).isEqualTo("READY");
		assertThat(onA.roomMembers("r1")).containsExactly("alice");
		assertThat(onB.roomMembers("r1")).containsExactly("carol");
		assertThat(onB.roomMembers("r2")).containsExactly("bob");
		onA.publishToRoom("r1", "room.pushed", Map.of("n", 1));
		onB.publishToUser("bob", "user.pushed", Map.of("n", 2));
		onB.publishToUser("alice", "user.pushed", Map.of("n", 3));
		onA.broadcast("all.pushed", Map.of("n", 4));
		String result = output.readLine();
		assertThat(clients.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(result).as("what the clients received").isNotNull();
		JsonNode seen = JsonMapper.builder().build().readTree(result);
		assertThat(messages(seen, "alice")).containsExactlyInAnyOrder("/topic/rooms/r1 room.pushed {\"n\":1}",
				"/user/queue/events user.pushed {\"n\":3}", "/topic/broadcast all.pushed {\"n\":4}");
		assertThat(messages(seen, "carol")).containsExactlyInAnyOrder("/topic/rooms/r1 room.pushed {\"n\":1}",
				"/topic/broadcast all.pushed {\"n\":4}");
		assertThat(messages(seen, "bob")).containsExactlyInAnyOrder("/user/queue/events user.pushed {\"n\":2}",
				"/topic/broadcast all.pushed {\"n\":4}");
		assertThat(messages(seen, "dave")).isEmpty();
		assertThat(seen.at("/errors/dave").asString()).as("refused: ERROR frame, or the connection closed with it")
			.containsAnyOf("User 'dave' may not join room 'secret'", "closed 1002");
		assertThat(messages(seen, "anonymous")).isEmpty();
		assertThat(seen.at("/errors/anonymous").asString()).contains("Not authenticated");
	}

	private static String readLine(BufferedReader output) {
		try {
			return String.valueOf(output.readLine());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> messages(JsonNode seen, String client) {
		return seen.at("/received/" + client).valueStream().map(JsonNode::asString).toList();
	}

	private static ConfigurableApplicationContext start(String instance) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RealtimeTestApplication.class)
			.properties("server.port=0", "spring.application.name=realtime-test", "eventbus.adapter=redis",
					"spring.data.redis.port=" + redis.get().port(), "eventbus.redis.poll-timeout=200ms",
					"eventbus.realtime.enabled=true", "eventbus.realtime.instance-id=" + instance)
			.run();
		EventBus bus = context.getBean(EventBus.class);
		await().until(() -> bus.subscriptions()
			.stream()
			.map(SubscriptionView::state)
			.allMatch((state) -> state == SubscriptionState.RUNNING));
		return context;
	}

	private static String url(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return "ws://localhost:" + port + "/eventbus/ws";
	}

	static Path nodeScripts() throws IOException {
		Path scripts = Path.of("src", "test", "node");
		if (!Files.isDirectory(scripts.resolve("node_modules"))) {
			dev.eventbus.web.JavaScriptProducer.install();
		}
		return scripts;
	}

}
