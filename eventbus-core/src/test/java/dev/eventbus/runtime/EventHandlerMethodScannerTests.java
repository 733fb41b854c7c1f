package dev.eventbus.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventHeader;
import dev.eventbus.api.EventType;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.api.Retry;
import dev.eventbus.codec.EventTypeRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventHandlerMethodScannerTests {

	private final EventTypeRegistry registry = new EventTypeRegistry();

	private final EventHandlerMethodScanner scanner = new EventHandlerMethodScanner(this.registry,
			new DestinationRouter(Map.of("photo.*", "photos"), "events"),
			HandlerDefaults.DEFAULTS.withGroup("shop").withConcurrency(2),
			(value) -> value.replace("${tenant}", "acme"));

	@Test
	void defaultsComeFromThePayloadTypeAndTheHandlerDefaults() {
		List<HandlerDefinition> handlers = this.scanner.scan("orders", new Valid());
		HandlerDefinition handler = byId(handlers, "Valid.onOrder");
		assertThat(handler.info().types()).containsExactly("order.created");
		assertThat(handler.info().group()).isEqualTo("shop");
		assertThat(handler.info().concurrency()).isEqualTo(2);
		assertThat(handler.info().destinations()).containsExactly("events");
		assertThat(handler.retry()).isEqualTo(RetrySettings.DEFAULTS);
		assertThat(handler.info().deadLetter()).isTrue();
		assertThat(this.registry.resolve("order.created", OrderCreated.class)).isEqualTo(OrderCreated.class);
	}

	@Test
	void annotationAttributesOverrideDefaultsAndResolvePlaceholders() {
		HandlerDefinition handler = byId(this.scanner.scan("photos", new Valid()), "thumbnails");
		assertThat(handler.info().types()).containsExactly("photo.*");
		assertThat(handler.info().group()).isEqualTo("acme-thumbs");
		assertThat(handler.info().destinations()).as("the route with the same pattern takes every photo event")
			.containsExactly("photos");
		assertThat(handler.info().concurrency()).isEqualTo(4);
		assertThat(handler.retry())
			.isEqualTo(new RetrySettings(4, Duration.ofMillis(200), 3.0, Duration.ofSeconds(2), Duration.ZERO));
		assertThat(handler.condition()).isNotNull();
		assertThat(handler.info().deadLetter()).isFalse();
	}

	@Test
	void classesWithoutHandlersAreRememberedAndSkipped() {
		assertThat(this.scanner.scan("plain", new Object())).isEmpty();
		assertThat(this.scanner.mayHaveHandlers(Object.class)).isFalse();
	}

	@Test
	void twoPayloadParametersAreRejectedNamingBeanAndMethod() {
		assertInvalid(new TwoPayloads(), "TwoPayloads.on(OrderCreated, OrderCreated)", "second payload");
	}

	@Test
	void untypedPayloadWithoutTypesIsRejected() {
		assertInvalid(new UntypedWithoutTypes(), "UntypedWithoutTypes.on(JsonNode)", "declares no types");
	}

	@Test
	void nonStringHeaderIsRejected() {
		assertInvalid(new IntHeader(), "IntHeader.on(OrderCreated, int)", "must be a String");
	}

	@Test
	void invalidConditionIsRejected() {
		assertInvalid(new BadCondition(), "BadCondition.on(OrderCreated)", "is not valid SpEL");
	}

	@Test
	void invalidRetryDurationIsRejected() {
		assertInvalid(new BadDuration(), "BadDuration.on(OrderCreated)", "is not a duration");
	}

	@Test
	void invalidConcurrencyIsRejected() {
		assertInvalid(new BadConcurrency(), "BadConcurrency.on(OrderCreated)", "concurrency must be at least 1");
	}

	private void assertInvalid(Object bean, String method, String reason) {
		assertThatExceptionOfType(InvalidEventHandlerException.class).isThrownBy(() -> this.scanner.scan("bad", bean))
			.satisfies((ex) -> {
				assertThat(ex.getBeanName()).isEqualTo("bad");
				assertThat(ex.getMethod()).isEqualTo(method);
				assertThat(ex.getReason()).contains(reason);
				assertThat(ex.getMessage()).contains("'bad'").contains(method);
			});
	}

	private static HandlerDefinition byId(List<HandlerDefinition> handlers, String id) {
		return handlers.stream().filter((h) -> h.id().equals(id)).findFirst().orElseThrow();
	}

	@EventType("order.created")
	record OrderCreated(String id) {
	}

	static class Valid {

		@EventHandler
		void onOrder(OrderCreated order) {
		}

		@EventHandler(id = "thumbnails", types = "photo.*", group = "${tenant}-thumbs", concurrency = 4,
				condition = "subject != null", deadLetter = false,
				retry = @Retry(maxRetries = 4, delay = "200ms", multiplier = 3, maxDelay = "2s", jitter = "0"))
		void onPhoto(Event<JsonNode> event, @EventHeader(value = "tenant", required = false) String tenant) {
		}

	}

	static class TwoPayloads {

		@EventHandler
		void on(OrderCreated a, OrderCreated b) {
		}

	}

	static class UntypedWithoutTypes {

		@EventHandler
		void on(JsonNode node) {
		}

	}

	static class IntHeader {

		@EventHandler
		void on(OrderCreated order, @EventHeader("count") int count) {
		}

	}

	static class BadCondition {

		@EventHandler(condition = "subject ==")
		void on(OrderCreated order) {
		}

	}

	static class BadDuration {

		@EventHandler(retry = @Retry(delay = "soon"))
		void on(OrderCreated order) {
		}

	}

	static class BadConcurrency {

		@EventHandler(concurrency = 0)
		void on(OrderCreated order) {
		}

	}

}
