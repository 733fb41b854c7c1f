package dev.eventbus.memory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.StoredMessage;
import dev.eventbus.test.conformance.TraceContextConformance;
import org.jspecify.annotations.Nullable;

/**
 * Trace context across the in-memory adapter: its header map is the transport's own
 * place, read back from the destination's retained history.
 */
class InMemoryTraceContextTest extends TraceContextConformance {

	private @Nullable InMemoryEventBusAdapter adapter;

	@Override
	protected EventBusAdapter createAdapter() {
		this.adapter = new InMemoryEventBusAdapter();
		return this.adapter;
	}

	@Override
	protected List<String> readTraceparents(String destination, String eventId) {
		StoredMessage message = this.adapter.history(destination, 100)
			.stream()
			.filter((stored) -> new String(stored.body(), StandardCharsets.UTF_8)
				.contains("\"id\":\"" + eventId + "\""))
			.findFirst()
			.orElseThrow();
		String traceparent = message.headers().get("traceparent");
		return (traceparent != null) ? List.of(traceparent) : List.of();
	}

	@Override
	protected void sendForeign(String destination, String type, String traceparent) {
		String body = "{\"type\":\"" + type + "\",\"id\":\"" + UUID.randomUUID() + "\"}";
		this.adapter.send(OutboundMessage.raw(destination, null, "foreign", Map.of("traceparent", traceparent),
				body.getBytes(StandardCharsets.UTF_8)))
			.join();
	}

}
