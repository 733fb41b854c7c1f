package dev.eventbus.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code spring-modulith} setup of {@link InMemoryComparison}: a Spring Boot
 * application with Spring Modulith's JDBC event publication registry on an in-memory H2
 * database (Boot's data source, HikariCP, transaction manager and task executor), each
 * event published with {@code ApplicationEventPublisher} in a transaction of its own and
 * handled by an {@link ApplicationModuleListener} (asynchronous, after the commit, in a
 * transaction of its own, which completes its publication). Completed publications are
 * deleted, as the bus's outbox deletes sent rows.
 */
final class ModulithTarget implements Setups.Target {

	private final Setups.Counter counter = new Setups.Counter();

	private final ConfigurableApplicationContext context;

	private final TransactionTemplate transactions;

	ModulithTarget() {
		this.context = SpringPeer.start(Config.class,
				Map.of("spring.datasource.url", "jdbc:h2:mem:modulith;DB_CLOSE_DELAY=-1",
						"spring.modulith.events.jdbc.schema-initialization.enabled", "true",
						"spring.modulith.events.completion-mode", "delete"),
				this.counter);
		this.transactions = this.context.getBean(TransactionTemplate.class);
	}

	@Override
	public void expect(CountDownLatch latch) {
		this.counter.expect(latch);
	}

	@Override
	public void publish(int sequence) {
		this.transactions.executeWithoutResult((status) -> this.context.publishEvent(new Setups.Happened(sequence)));
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * Imports the auto-configurations listed in
	 * {@code META-INF/spring/dev.eventbus.benchmarks.ModulithTarget$AutoConfigurations.imports}
	 * (some of Spring Modulith's are not public classes), as Boot's test slices do.
	 */
	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@ImportAutoConfiguration
	@interface AutoConfigurations {

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurations
	static class Config {

		@Bean
		Listener listener(Setups.Counter counter) {
			return new Listener(counter);
		}

	}

	static class Listener {

		private final Setups.Counter counter;

		Listener(Setups.Counter counter) {
			this.counter = counter;
		}

		@ApplicationModuleListener
		public void on(Setups.Happened event) {
			this.counter.handled();
		}

	}

}
