package dev.eventbus.aot;

import java.util.List;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventHeader;
import dev.eventbus.api.EventType;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of a context with handlers registers what a native image needs
 * to invoke them and to bind their payloads.
 */
class EventHandlerAotTests {

	@Test
	void aotProcessingRegistersHandlerMethodsAndPayloadTypes() throws NoSuchMethodException {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(Handlers.class);
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(EventHandlerAotTests.class)), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Handlers.class.getDeclaredMethod("onOrder", OrderPlaced.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Handlers.class.getDeclaredMethod("onShape", Event.class, String.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(OrderPlaced.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Circle.class)).as("permitted subtype of a sealed payload")
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Square.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Handlers.class.getDeclaredMethod("onInvoices", List.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Invoice.class)).as("payload of a batch handler")
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Refund.class))
			.as("payload of a batch handler of envelopes")
			.accepts(hints);
	}

	record Invoice(String invoiceId) {
	}

	record Refund(String refundId) {
	}

	@EventType("order.placed")
	record OrderPlaced(String orderId, Map<String, Integer> items) {
	}

	sealed interface Shape permits Circle, Square {

	}

	record Circle(double radius) implements Shape {
	}

	record Square(double side) implements Shape {
	}

	static class Handlers {

		@EventHandler
		void onOrder(OrderPlaced order) {
		}

		@EventHandler("shape.*")
		void onShape(Event<Shape> shape, @EventHeader(value = "tenant", required = false) String tenant) {
		}

		@EventHandler("invoice.*")
		void onInvoices(List<Invoice> invoices) {
		}

		@EventHandler("refund.*")
		void onRefunds(List<Event<Refund>> refunds) {
		}

	}

}
