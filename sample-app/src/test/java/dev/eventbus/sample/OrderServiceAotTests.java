package dev.eventbus.sample;

import java.lang.reflect.Method;
import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.sample.events.InventoryReserved;
import dev.eventbus.sample.events.OrderPlaced;
import dev.eventbus.sample.events.PaymentCompleted;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of the sample's components registers the hints a native image
 * needs to invoke its handlers and bind their payloads.
 */
class OrderServiceAotTests {

	@Test
	void aotProcessingOfTheSampleCoversItsHandlersAndPayloads() throws NoSuchMethodException {
		GenericApplicationContext context = new GenericApplicationContext();
		ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(context);
		scanner.addExcludeFilter(new AssignableTypeFilter(OrderServiceApplication.class));
		int components = scanner.scan(OrderServiceApplication.class.getPackageName());
		assertThat(components).isGreaterThan(5);
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(OrderServiceAotTests.class)), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		RuntimeHints hints = generation.getRuntimeHints();
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(handler("inventory.InventoryHandler", "reserveStock", Event.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(handler("payment.PaymentHandler", "charge", InventoryReserved.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(OrderPlaced.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(InventoryReserved.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(PaymentCompleted.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(handler("audit.AuditHandler", "record", List.class))).accepts(hints);
	}

	/** A handler method of the sample; the handler classes are package private. */
	private static Method handler(String className, String method, Class<?>... parameters)
			throws NoSuchMethodException {
		return ClassUtils.resolveClassName(OrderServiceApplication.class.getPackageName() + "." + className, null)
			.getDeclaredMethod(method, parameters);
	}

}
