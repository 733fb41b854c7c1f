package dev.eventbus.sample.audit;

import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Records every order, inventory and payment event in the {@link AuditTrail}, in batches:
 * one write per batch, as an audit table would take them. Takes the data as a
 * {@link JsonNode}: one handler for many types, without a payload class per type. Its
 * {@code payment.*} pattern subscribes it to the {@code payments} destination as well as
 * the default one.
 */
@Component
class AuditHandler {

	private final AuditTrail trail;

	AuditHandler(AuditTrail trail) {
		this.trail = trail;
	}

	@EventHandler(types = { "order.*", "inventory.*", "payment.*" }, maxBatchSize = 50, maxBatchWait = "50ms")
	void record(List<Event<JsonNode>> events) {
		this.trail.record(events);
	}

}
