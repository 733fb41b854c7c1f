package dev.eventbus.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import dev.eventbus.api.Event;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import dev.eventbus.spi.Subscription;
import dev.eventbus.spi.SubscriptionSpec;
import dev.eventbus.spi.SubscriptionState;
import dev.eventbus.test.Awaits;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Streams adapter on a Redis Cluster of three primaries, through a cluster-aware
 * Lettuce factory as Spring Boot builds it from {@code spring.data.redis.cluster.nodes}:
 * XADD and XACK are routed to the node that owns each stream.
 */
class RedisClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final List<RedisServerProcess> nodes = new ArrayList<>();

	private static LettuceConnectionFactory connectionFactory;

	private final JsonEventCodec codec = new JsonEventCodec(JsonMapper.builder().build(), PlainJsonMapping.DEFAULT);

	@BeforeAll
	static void startCluster() {
		for (int i = 0; i < 3; i++) {
			nodes.add(RedisServerProcess.clusterNode());
		}
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (RedisServerProcess node : nodes) {
				connections.add(client.connect(RedisURI.create("127.0.0.1", node.port())));
			}
			int perNode = SlotHash.SLOT_COUNT / nodes.size() + 1;
			for (int i = 0; i < nodes.size(); i++) {
				int from = i * perNode;
				int to = Math.min(SlotHash.SLOT_COUNT, from + perNode);
				connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
				for (RedisServerProcess other : nodes) {
					connections.get(i).sync().clusterMeet("127.0.0.1", other.port());
				}
			}
			Awaits.await(WAIT,
					() -> connections.stream()
						.allMatch((connection) -> connection.sync().clusterInfo().contains("cluster_state:ok")),
					"The cluster did not become ready");
			connections.forEach(StatefulRedisConnection::close);
		}
		finally {
			client.shutdown();
		}
		connectionFactory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(nodes.stream().map((node) -> "127.0.0.1:" + node.port()).toList()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
	}

	@AfterAll
	static void stopCluster() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		nodes.forEach(RedisServerProcess::close);
	}

	@Test
	void streamsOnDifferentNodesArePublishedReadAndAcknowledged() {
		List<String> destinations = destinationsOnDifferentNodes();
		Set<String> received = ConcurrentHashMap.newKeySet();
		try (RedisEventBusAdapter adapter = new RedisEventBusAdapter(connectionFactory,
				RedisStreamSettings.of("node").withPollTimeout(Duration.ofMillis(200)))) {
			List<Subscription> subscriptions = new ArrayList<>();
			for (String destination : destinations) {
				Subscription subscription = adapter
					.subscribe(new SubscriptionSpec(destination, "group", "handler", 4, 3), (delivery) -> {
						received.add(this.codec.decode(delivery.headers(), delivery.body(), "test").id());
						delivery.ack();
					});
				subscriptions.add(subscription);
				Awaits.await(WAIT, () -> subscription.state() == SubscriptionState.RUNNING,
						() -> "Subscription to '" + destination + "' is " + subscription.state());
			}
			List<String> sent = new ArrayList<>();
			List<CompletableFuture<SendResult>> sends = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				Event<Map<String, Object>> event = event();
				sent.add(event.id());
				sends.add(adapter.send(message(destinations.get(i % destinations.size()), event)));
			}
			sends.forEach(CompletableFuture::join);
			Awaits.await(WAIT, () -> received.containsAll(sent),
					() -> received.size() + " of " + sent.size() + " received");
			subscriptions.forEach((subscription) -> subscription.close(Duration.ofSeconds(5)));
			StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
			for (String destination : destinations) {
				assertThat(redis.opsForStream().size(destination)).isEqualTo(100L);
				assertThat(redis.opsForStream().pending(destination, "group").getTotalPendingMessages())
					.as("entries of '%s' left unacknowledged", destination)
					.isZero();
			}
		}
	}

	private static List<String> destinationsOnDifferentNodes() {
		int perNode = SlotHash.SLOT_COUNT / nodes.size() + 1;
		String[] byNode = new String[nodes.size()];
		for (int i = 0; Arrays.stream(byNode).anyMatch((name) -> name == null); i++) {
			String name = "orders-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
			int node = SlotHash.getSlot(name) / perNode;
			if (byNode[node] == null) {
				byNode[node] = name;
			}
		}
		return List.of(byNode);
	}

	private static Event<Map<String, Object>> event() {
		return new Event<>(UUID.randomUUID().toString(), "order.created", "urn:test", Instant.now(), "order-1", null,
				null, Map.of(), Map.of("amount", 1));
	}

	private OutboundMessage message(String destination, Event<?> event) {
		return OutboundMessage.ofEvent(destination, event, this.codec);
	}

}
