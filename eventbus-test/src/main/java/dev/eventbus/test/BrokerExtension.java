package dev.eventbus.test;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The broker of one test class, as a static {@code @RegisterExtension} field. It starts
 * before the class's first test, so before its Spring context, which reads the address in
 * a {@code @DynamicPropertySource} method. It is closed through the class's extension
 * store, which JUnit closes after every after-all callback: after Spring closed the
 * class's context (the class is {@code @DirtiesContext}), so the listeners stop while the
 * broker still answers.
 *
 * @param <B> the type of broker
 */
public final class BrokerExtension<B extends AutoCloseable> implements BeforeAllCallback {

	private final Supplier<B> starter;

	private @Nullable B broker;

	/**
	 * Create the extension.
	 * @param starter starts the broker
	 */
	public BrokerExtension(Supplier<B> starter) {
		this.starter = starter;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		B started = this.starter.get();
		context.getStore(Namespace.create(BrokerExtension.class, context.getRequiredTestClass()))
			.put(BrokerExtension.class, started);
		this.broker = started;
	}

	/**
	 * The running broker.
	 * @return the broker started for the current test class
	 */
	public B get() {
		B started = this.broker;
		if (started == null) {
			throw new IllegalStateException("The broker starts before the first test of its class");
		}
		return started;
	}

}
