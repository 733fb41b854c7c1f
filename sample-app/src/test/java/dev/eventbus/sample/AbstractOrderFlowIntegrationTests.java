package dev.eventbus.sample;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.sample.inventory.Warehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order flow driven over HTTP against the sample started on a random port, with
 * transient payment failures off so every outcome is deterministic. Each subclass runs it
 * on one adapter: it selects the adapter's profile and supplies the broker's address.
 * Awaits are bounded generously, since brokers add latency (long polls, rebalances); they
 * return as soon as the outcome is seen.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.payment.failure-rate=0")
abstract class AbstractOrderFlowIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * HTTP Basic credentials of the sample's operator, who may replay and purge dead
	 * letters.
	 */
	private static final Map<String, String> OPERATOR = Map.of("Authorization",
			"Basic " + Base64.getEncoder().encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8)));

	/**
	 * HTTP Basic credentials of the sample's supplier, who may publish stock deliveries.
	 */
	private static final Map<String, String> SUPPLIER = Map.of("Authorization",
			"Basic " + Base64.getEncoder().encodeToString("supplier:supplier".getBytes(StandardCharsets.UTF_8)));

	private static final List<String> FLOW = List.of("order.placed", "inventory.reserved", "payment.completed",
			"order.shipped");

	private final String adapter;

	@LocalServerPort
	private int port;

	private RestClient http;

	@Autowired
	private Warehouse warehouse;

	/**
	 * Create the tests for an adapter.
	 * @param adapter the adapter the health endpoint must report, as in
	 * {@code eventbus.adapter}
	 */
	AbstractOrderFlowIntegrationTests(String adapter) {
		this.adapter = adapter;
	}

	/**
	 * Create the client and wait until every subscription runs. On a broker,
	 * subscriptions start in the background after the context started (SQS creates its
	 * group queues then), and an event published before its group queue exists never
	 * reaches that group.
	 */
	@BeforeEach
	void createClientOnceSubscriptionsRun() {
		this.http = RestClient.builder().baseUrl("http://localhost:" + this.port).build();
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(eventBusHealth().get("details").get("subscriptions").findValuesAsString("state"))
						.containsOnly("RUNNING"));
	}

	/**
	 * Place an order and wait until it shipped.
	 * @return the order
	 */
	JsonNode placeOrderAndAwaitShipping() {
		String orderId = placeOrder("grace", "30.00", Map.of()).getBody().get("orderId").asString();
		return awaitOrder(orderId, "SHIPPED", FLOW.size());
	}

	@Test
	void placedOrderIsShippedWithATimelineOfEventsSharingTheOrdersCorrelationId() {
		ResponseEntity<JsonNode> placed = placeOrder("alice", "42.50", Map.of());
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		String orderId = placed.getBody().get("orderId").asString();
		String eventId = placed.getBody().get("eventId").asString();
		String correlationId = placed.getBody().get("correlationId").asString();
		assertThat(placed.getHeaders().getLocation()).hasPath("/orders/" + orderId);

		JsonNode order = awaitOrder(orderId, "SHIPPED", FLOW.size());
		JsonNode timeline = order.get("timeline");
		assertThat(types(timeline)).containsExactlyElementsOf(FLOW);
		assertThat(timeline.findValuesAsString("correlationId")).hasSize(FLOW.size()).containsOnly(correlationId);
		assertThat(timeline.get(0).get("eventId").asString()).isEqualTo(eventId);
		assertThat(timeline.get(0).get("causationId").isNull()).isTrue();
		for (int i = 1; i < timeline.size(); i++) {
			assertThat(timeline.get(i).get("causationId").asString())
				.isEqualTo(timeline.get(i - 1).get("eventId").asString());
		}
		assertThat(timeline.get(3).get("data").get("carrier").asString()).isEqualTo("ACME Freight");
	}

	@Test
	void aSupplierPostsAStockDeliveryOverHttpAndTheWarehouseTakesItOnce() {
		String sku = "BOOK-" + UUID.randomUUID();
		Map<String, Object> delivery = Map.of("urn", "urn:sku:" + sku, "event", "inventory.restocked", "payload",
				Map.of("sku", sku, "quantity", 10));
		Map<String, String> supplier = new HashMap<>(SUPPLIER);
		supplier.put("Idempotency-Key", "delivery-" + sku);
		ResponseEntity<JsonNode> accepted = post("/eventbus/events", delivery, supplier);
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(accepted.getBody().at("/accepted/0/id").asString()).isEqualTo("delivery-" + sku);
		assertThat(post("/eventbus/events", delivery, supplier).getBody().at("/accepted/0/duplicate").asBoolean())
			.as("the same delivery posted again")
			.isTrue();
		assertThat(post("/eventbus/events", delivery, Map.of()).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(post("/eventbus/events", delivery, OPERATOR).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		await().atMost(TIMEOUT).until(() -> this.warehouse.deliveredUnits(sku) == 10);
	}

	@Test
	void correlationIdOfTheCallerIsKept() {
		String correlationId = "checkout-" + UUID.randomUUID();
		ResponseEntity<JsonNode> placed = placeOrder("bob", "10.00", Map.of("X-Correlation-Id", correlationId));
		assertThat(placed.getBody().get("correlationId").asString()).isEqualTo(correlationId);

		JsonNode order = awaitOrder(placed.getBody().get("orderId").asString(), "SHIPPED", FLOW.size());
		assertThat(order.get("correlationId").asString()).isEqualTo(correlationId);
		assertThat(order.get("timeline").findValuesAsString("correlationId")).containsOnly(correlationId);
	}

	@Test
	void invalidOrderIsRejected() {
		ResponseEntity<JsonNode> response = post("/orders",
				Map.of("customerId", "carol", "amount", -1, "items", List.of(Map.of("sku", "BOOK-1", "quantity", 1))),
				Map.of());
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void unknownOrderIsNotFound() {
		assertThat(get("/orders/{id}", "ord-unknown").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void onlyOrdersAboveOneThousandReachTheVipDeskWithTheirChannel() {
		long skippedBefore = handlerCount("VipNotificationHandler.notifyVipDesk", "skipped");
		String smallOrderId = placeOrder("dave", "999.99", Map.of()).getBody().get("orderId").asString();
		ResponseEntity<JsonNode> large = placeOrder("erin", "1500.00", Map.of("X-Channel", "mobile"));
		String largeOrderId = large.getBody().get("orderId").asString();

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(notificationsFor(largeOrderId)).hasSize(1));
		JsonNode notification = notificationsFor(largeOrderId).get(0);
		assertThat(notification.get("channel").asString()).isEqualTo("mobile");
		assertThat(notification.get("customerId").asString()).isEqualTo("erin");
		assertThat(notification.get("correlationId").asString())
			.isEqualTo(large.getBody().get("correlationId").asString());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(handlerCount("VipNotificationHandler.notifyVipDesk", "skipped"))
				.isGreaterThan(skippedBefore));
		assertThat(notificationsFor(smallOrderId)).isEmpty();
	}

	@Test
	void declinedPaymentIsDeadLetteredAfterFourAttemptsAndCompletesWhenReplayed() {
		String customerId = "declined-" + UUID.randomUUID();
		assertThat(put("/payments/declined-customers/{id}", customerId).getStatusCode())
			.isEqualTo(HttpStatus.NO_CONTENT);
		String orderId = placeOrder(customerId, "13.00", Map.of()).getBody().get("orderId").asString();

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(deadLettersOf("events", orderId)).hasSize(1));
		JsonNode deadLetter = deadLettersOf("events", orderId).get(0);
		assertThat(deadLetter.get("type").asString()).isEqualTo("inventory.reserved");
		assertThat(deadLetter.get("handler").asString()).isEqualTo("PaymentHandler.charge");
		assertThat(deadLetter.get("attempts").asInt()).isEqualTo(4);
		assertThat(Duration.between(Instant.parse(deadLetter.get("firstFailure").asString()),
				Instant.parse(deadLetter.get("lastFailure").asString())))
			.isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(deadLetter.get("exception").asString())
			.isEqualTo("dev.eventbus.sample.payment.PaymentDeclinedException");
		assertThat(deadLetter.get("headers").get("eventbus-dlq-handler").asString()).isEqualTo("PaymentHandler.charge");
		assertThat(deadLetter.get("headers").get("eventbus-dlq-attempts").asString()).isEqualTo("4");
		assertThat(getOrder(orderId).get("status").asString()).isEqualTo("STOCK_RESERVED");
		assertThat(outcomes("eventbus.handle")).contains("success", "retry", "dead-letter");

		assertThat(delete("/payments/declined-customers/{id}", customerId).getStatusCode())
			.isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(post("/actuator/eventbus/{destination}", Map.of("id", deadLetter.get("id").asString()), Map.of(),
				"events")
			.getStatusCode()).as("replay without the operator's credentials").isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(post("/actuator/eventbus/{destination}", Map.of(), OPERATOR, "no-such-destination").getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		ResponseEntity<JsonNode> replay = post("/actuator/eventbus/{destination}",
				Map.of("id", deadLetter.get("id").asString()), OPERATOR, "events");
		assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(replay.getBody().get("replayed").asInt()).isEqualTo(1);

		JsonNode order = awaitOrder(orderId, "SHIPPED", FLOW.size());
		assertThat(types(order.get("timeline"))).containsExactlyElementsOf(FLOW);
		assertThat(deadLettersOf("events", orderId)).isEmpty();
	}

	@Test
	void healthShowsTheEventBusUpOnItsAdapterWithEverySubscriptionRunning() {
		JsonNode eventbus = eventBusHealth();
		assertThat(eventbus.get("status").asString()).isEqualTo("UP");
		assertThat(eventbus.get("details").get("adapter").asString()).isEqualTo(this.adapter);
		JsonNode subscriptions = eventbus.get("details").get("subscriptions");
		assertThat(subscriptions.valueStream().map((subscription) -> subscription.get("name").asString()))
			.as("one subscription per group and destination; the batch handler has its own, and so has this "
					+ "instance's real-time delivery")
			.filteredOn((name) -> !name.startsWith("eventbus-realtime."))
			.containsExactlyInAnyOrder("order-service@events", "order-service@payments",
					"order-service.AuditHandler.record@events", "order-service.AuditHandler.record@payments");
		assertThat(subscriptions.valueStream().map((subscription) -> subscription.get("name").asString()))
			.filteredOn((name) -> name.startsWith("eventbus-realtime."))
			.singleElement()
			.asString()
			.endsWith("@eventbus-realtime");
		assertThat(subscriptions.valueStream()
			.flatMap((subscription) -> subscription.get("handlers").valueStream())
			.map(JsonNode::asString)).contains("InventoryHandler.reserveStock", "PaymentHandler.charge",
					"ShippingHandler.ship", "AuditHandler.record", "VipNotificationHandler.notifyVipDesk");
		assertThat(subscriptions.findValuesAsString("state")).containsOnly("RUNNING");
		assertThat(subscriptions.valueStream()
			.filter((subscription) -> subscription.get("handlers")
				.valueStream()
				.anyMatch((handler) -> "AuditHandler.record".equals(handler.asString())))
			.map((subscription) -> subscription.get("destination").asString()))
			.containsExactlyInAnyOrder("events", "payments");
	}

	@Test
	void ordersPublishThroughTheOutboxAndPaymentsAreChargedOnceThroughTheInbox() {
		String orderId = placeOrder("heidi", "40.00", Map.of()).getBody().get("orderId").asString();
		awaitOrder(orderId, "SHIPPED", FLOW.size());

		await().atMost(Duration.ofSeconds(30)).until(() -> outboxHealth().get("details").get("pending").asLong() == 0);
		assertThat(outboxHealth().get("status").asString()).isEqualTo("UP");
		JsonNode handlers = get("/actuator/eventbus").getBody().get("handlers");
		assertThat(handlers.valueStream()
			.filter((handler) -> "PaymentHandler.charge".equals(handler.get("id").asString()))
			.map((handler) -> handler.get("idempotent").asBoolean())).containsExactly(true);
		assertThat(get("/actuator/metrics").getBody().get("names").valueStream().map(JsonNode::asString))
			.contains("eventbus.outbox.pending", "eventbus.outbox.oldest.age", "eventbus.events.duplicate");
	}

	@Test
	void theEventLogServesTheHistoryOfAnOrderAndTheTrailOfItsCorrelationId() {
		String correlationId = "trail-" + UUID.randomUUID();
		String orderId = placeOrder("ivan", "50.00", Map.of("X-Correlation-Id", correlationId)).getBody()
			.get("orderId")
			.asString();
		awaitOrder(orderId, "SHIPPED", FLOW.size());

		await().atMost(Duration.ofSeconds(30)).until(() -> {
			ResponseEntity<JsonNode> history = get("/orders/{id}/history", orderId);
			return history.getStatusCode() == HttpStatus.OK && history.getBody().size() == FLOW.size();
		});
		JsonNode history = get("/orders/{id}/history", orderId).getBody();
		assertThat(history.valueStream().map((entry) -> entry.get("type").asString())).containsExactlyElementsOf(FLOW);
		JsonNode trail = get("/actuator/eventlog?correlationId={id}", correlationId).getBody().get("events");
		assertThat(trail.valueStream().map((event) -> event.get("type").asString()))
			.as("every event of the flow, across handlers")
			.containsExactlyElementsOf(FLOW);
		assertThat(trail.valueStream().map((event) -> event.get("subject").asString())).containsOnly(orderId);
	}

	@Test
	void brokerAdaptersReportConsumerLagAndPendingAsGauges() {
		List<String> names = get("/actuator/metrics").getBody()
			.get("names")
			.valueStream()
			.map(JsonNode::asString)
			.toList();
		switch (this.adapter) {
			case "memory" -> assertThat(names).doesNotContain("eventbus.consumer.lag", "eventbus.consumer.pending");
			case "kafka" -> assertThat(names).contains("eventbus.consumer.lag");
			default -> assertThat(names).contains("eventbus.consumer.lag", "eventbus.consumer.pending");
		}
	}

	@Test
	void metricsTimePublishingAndHandlingByOutcome() {
		String orderId = placeOrder("frank", "20.00", Map.of()).getBody().get("orderId").asString();
		awaitOrder(orderId, "SHIPPED", FLOW.size());

		assertThat(get("/actuator/metrics").getBody().get("names").valueStream().map(JsonNode::asString))
			.contains("eventbus.publish", "eventbus.handle");
		assertThat(outcomes("eventbus.publish")).contains("success");
		assertThat(outcomes("eventbus.handle")).contains("success");
		JsonNode shipped = get("/actuator/metrics/eventbus.handle?tag=type:order.shipped&tag=outcome:success")
			.getBody();
		assertThat(shipped.get("measurements").get(0).get("value").asDouble()).isPositive();
	}

	@Test
	void eventbusEndpointListsEveryHandlerWithItsCounts() {
		String orderId = placeOrder("grace", "30.00", Map.of()).getBody().get("orderId").asString();
		awaitOrder(orderId, "SHIPPED", FLOW.size());

		JsonNode eventbus = get("/actuator/eventbus").getBody();
		assertThat(eventbus.get("routes").get("payment.*").asString()).isEqualTo("payments");
		Map<String, JsonNode> handlers = new HashMap<>();
		eventbus.get("handlers").forEach((handler) -> handlers.put(handler.get("id").asString(), handler));
		assertThat(handlers).containsOnlyKeys("InventoryHandler.reserveStock", "InventoryHandler.restock",
				"PaymentHandler.charge", "ShippingHandler.ship", "AuditHandler.record",
				"VipNotificationHandler.notifyVipDesk", "OrderProgress.onStockReserved", "OrderProgress.onPaid",
				"OrderProgress.onShipped", "realtime-forward-0-order.*", "realtime-forward-0-inventory.*",
				"realtime-forward-0-payment.*", "realtime-delivery");
		assertThat(handlers.get("PaymentHandler.charge").get("retry").get("maxRetries").asInt()).isEqualTo(3);
		assertThat(handlers.get("VipNotificationHandler.notifyVipDesk").get("condition").asString())
			.isEqualTo("payload.amount > 1000");
		assertThat(handlers.get("ShippingHandler.ship").get("destinations").get(0).asString()).isEqualTo("payments");
		assertThat(handlerCount("InventoryHandler.reserveStock", "handled")).isPositive();
		assertThat(handlerCount("PaymentHandler.charge", "handled")).isPositive();
		assertThat(handlerCount("ShippingHandler.ship", "handled")).isPositive();
		assertThat(handlerCount("AuditHandler.record", "handled")).isGreaterThanOrEqualTo(FLOW.size());
		assertThat(eventbus.get("counts").get("published").asLong()).isGreaterThanOrEqualTo(FLOW.size());
	}

	private ResponseEntity<JsonNode> placeOrder(String customerId, String amount, Map<String, String> headers) {
		Map<String, Object> order = Map.of("customerId", customerId, "amount", new BigDecimal(amount), "items",
				List.of(Map.of("sku", "BOOK-1", "quantity", 2), Map.of("sku", "MUG-7", "quantity", 1)));
		return post("/orders", order, headers);
	}

	private JsonNode awaitOrder(String orderId, String status, int events) {
		await().atMost(TIMEOUT).untilAsserted(() -> {
			JsonNode order = getOrder(orderId);
			assertThat(order.get("status").asString()).as("status of %s", order).isEqualTo(status);
			assertThat(order.get("timeline").size()).as("timeline of %s", order).isEqualTo(events);
		});
		return getOrder(orderId);
	}

	private JsonNode outboxHealth() {
		return get("/actuator/health").getBody().get("components").get("eventbusOutbox");
	}

	private JsonNode eventBusHealth() {
		return get("/actuator/health").getBody().get("components").get("eventbus");
	}

	private JsonNode getOrder(String orderId) {
		ResponseEntity<JsonNode> response = get("/orders/{id}", orderId);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody();
	}

	private List<JsonNode> notificationsFor(String orderId) {
		return get("/notifications").getBody()
			.valueStream()
			.filter((notification) -> orderId.equals(notification.get("orderId").asString()))
			.toList();
	}

	private List<JsonNode> deadLettersOf(String destination, String orderId) {
		return get("/actuator/eventbus/{destination}", destination).getBody()
			.get("deadLetters")
			.valueStream()
			.filter((deadLetter) -> orderId.equals(deadLetter.get("subject").asString()))
			.toList();
	}

	private long handlerCount(String handlerId, String count) {
		JsonNode counts = get("/actuator/eventbus").getBody().get("counts").get("handlers").get(handlerId);
		assertThat(counts).as("counts of handler %s", handlerId).isNotNull();
		return counts.get(count).asLong();
	}

	private List<String> outcomes(String metric) {
		for (JsonNode tag : get("/actuator/metrics/{name}", metric).getBody().get("availableTags")) {
			if ("outcome".equals(tag.get("tag").asString())) {
				return tag.get("values").valueStream().map(JsonNode::asString).toList();
			}
		}
		return List.of();
	}

	private static List<String> types(JsonNode timeline) {
		List<String> types = new ArrayList<>();
		timeline.forEach((entry) -> types.add(entry.get("type").asString()));
		return types;
	}

	private ResponseEntity<JsonNode> get(String path, Object... variables) {
		return this.http.get()
			.uri(path, variables)
			.retrieve()
			.onStatus(this::any, this::ignore)
			.toEntity(JsonNode.class);
	}

	private ResponseEntity<JsonNode> post(String path, Object body, Map<String, String> headers, Object... variables) {
		return this.http.post()
			.uri(path, variables)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((httpHeaders) -> headers.forEach(httpHeaders::add))
			.body(body)
			.retrieve()
			.onStatus(this::any, this::ignore)
			.toEntity(JsonNode.class);
	}

	private ResponseEntity<Void> put(String path, Object... variables) {
		return this.http.put().uri(path, variables).retrieve().onStatus(this::any, this::ignore).toBodilessEntity();
	}

	private ResponseEntity<Void> delete(String path, Object... variables) {
		return this.http.delete().uri(path, variables).retrieve().onStatus(this::any, this::ignore).toBodilessEntity();
	}

	private boolean any(HttpStatusCode status) {
		return true;
	}

	private void ignore(HttpRequest request, ClientHttpResponse response) {
	}

}
