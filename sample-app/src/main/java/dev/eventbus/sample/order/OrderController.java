package dev.eventbus.sample.order;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.eventbus.api.PublishException;
import dev.eventbus.jdbc.EventLog;
import dev.eventbus.jdbc.EventLog.LoggedEvent;
import dev.eventbus.sample.audit.AuditTrail;
import dev.eventbus.sample.events.OrderItem;
import dev.eventbus.sample.order.OrderService.PlacedOrder;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /orders} places an order and answers {@code 202 Accepted} as soon as
 * {@code order.placed} is published; {@code GET /orders/{id}} shows its status and
 * timeline. An {@code X-Correlation-Id} request header sets the correlation id of the
 * flow (else a new one is made) and {@code X-Channel} the sales channel ({@code web} by
 * default).
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private final OrderService orderService;

	private final OrderBook orders;

	private final AuditTrail auditTrail;

	private final EventLog eventLog;

	OrderController(OrderService orderService, OrderBook orders, AuditTrail auditTrail, EventLog eventLog) {
		this.orderService = orderService;
		this.orders = orders;
		this.auditTrail = auditTrail;
		this.eventLog = eventLog;
	}

	@PostMapping
	ResponseEntity<OrderAccepted> place(@RequestBody PlaceOrderRequest request,
			@RequestHeader(name = "X-Correlation-Id", required = false) @Nullable String correlationId,
			@RequestHeader(name = "X-Channel", defaultValue = "web") String channel) {
		String customerId = request.customerId();
		BigDecimal amount = request.amount();
		List<OrderItem> items = request.items();
		if (customerId == null || customerId.isBlank()) {
			throw badRequest("customerId is required");
		}
		if (amount == null || amount.signum() <= 0) {
			throw badRequest("amount must be positive");
		}
		if (items == null || items.isEmpty() || !items.stream().allMatch(OrderController::isValid)) {
			throw badRequest("items must hold at least one item, each with a sku and a positive quantity");
		}
		String correlation = (correlationId != null && !correlationId.isBlank()) ? correlationId
				: UUID.randomUUID().toString();
		PlacedOrder placed = this.orderService.place(customerId, amount, items, correlation, channel);
		return ResponseEntity.accepted()
			.location(URI.create("/orders/" + placed.order().id()))
			.body(new OrderAccepted(placed.order().id(), placed.eventId(), correlation));
	}

	@GetMapping("/{id}")
	ResponseEntity<OrderView> get(@PathVariable String id) {
		return ResponseEntity
			.of(this.orders.find(id).map((order) -> OrderView.of(order, this.auditTrail.timeline(id))));
	}

	/**
	 * The history of an order from the durable event log: every event of its subject, in
	 * order.
	 * @param id the order id
	 * @return the events, oldest first; 404 when none was logged
	 */
	@GetMapping("/{id}/history")
	ResponseEntity<List<HistoryEntry>> history(@PathVariable String id) {
		List<HistoryEntry> history = this.eventLog.forSubject(id).stream().map(HistoryEntry::of).toList();
		return history.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(history);
	}

	/**
	 * One event of an order's history.
	 *
	 * @param position its place in the event log
	 * @param type the event type
	 * @param eventId the event id
	 * @param time when it happened
	 * @param correlationId the flow it belongs to
	 */
	record HistoryEntry(long position, String type, String eventId, @Nullable Instant time,
			@Nullable String correlationId) {

		static HistoryEntry of(LoggedEvent logged) {
			return new HistoryEntry(logged.position(), logged.event().type(), logged.event().id(),
					logged.event().time(), logged.event().correlationId());
		}

	}

	@ExceptionHandler(PublishException.class)
	ProblemDetail publishFailed(PublishException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The order was not placed: " + ex.getMessage());
		problem.setTitle("Event bus unavailable");
		return problem;
	}

	private static boolean isValid(@Nullable OrderItem item) {
		return item != null && item.sku() != null && !item.sku().isBlank() && item.quantity() > 0;
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
