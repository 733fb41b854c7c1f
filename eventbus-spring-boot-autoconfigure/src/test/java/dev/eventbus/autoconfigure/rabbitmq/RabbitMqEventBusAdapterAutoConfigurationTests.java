package dev.eventbus.autoconfigure.rabbitmq;

import java.time.Duration;

import dev.eventbus.autoconfigure.EventBusAdapterMissingException;
import dev.eventbus.autoconfigure.EventBusAutoConfiguration;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.rabbitmq.RabbitMqAdapterSettings;
import dev.eventbus.rabbitmq.RabbitMqEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.spi.AdapterHealth;
import dev.eventbus.spi.EventBusAdapter;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RabbitMqEventBusAdapterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
				RabbitMqEventBusAdapterAutoConfiguration.class, EventBusAutoConfiguration.class));

	@Test
	void createsRabbitMqAdapterOnBootsRabbitSettingsWhenRabbitmqIsSelected() {
		this.contextRunner.withPropertyValues("eventbus.adapter=rabbitmq").run((context) -> {
			assertThat(context).hasSingleBean(RabbitMqEventBusAdapter.class)
				.doesNotHaveBean(InMemoryEventBusAdapter.class);
			RabbitMqEventBusAdapter adapter = context.getBean(RabbitMqEventBusAdapter.class);
			assertThat(context.getBean(EventBus.class).adapter()).isSameAs(adapter);
			assertThat(context).getBeans(ConnectionFactory.class).hasSize(1);
			assertThat(adapter.capabilities().orderedPerKey()).isFalse();
			assertThat(adapter.capabilities().consumerGroups()).isTrue();
			RabbitMqAdapterSettings settings = adapter.settings();
			assertThat(settings.confirmTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.prefetch()).isEqualTo(250);
			assertThat(settings.deliveryLimit()).isEqualTo(20);
			assertThat(settings.deadLetterSuffix()).isEqualTo(".dlq");
			assertThat(settings.recoveryInterval()).isEqualTo(Duration.ofSeconds(5));
			assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void theBusConnectsWithTheAddressCredentialsAndVirtualHostOfSpringRabbitmq() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=rabbitmq", "spring.rabbitmq.addresses=127.0.0.1:1",
					"spring.rabbitmq.username=orders-service", "spring.rabbitmq.password=secret",
					"spring.rabbitmq.virtual-host=orders", "eventbus.rabbitmq.request-timeout=3s")
			.run((context) -> {
				AdapterHealth health = context.getBean(RabbitMqEventBusAdapter.class).health();
				assertThat(health.up()).isFalse();
				assertThat(health.details().get("broker")).asString()
					.contains("127.0.0.1:1")
					.contains("virtual host 'orders'")
					.contains("user 'orders-service'")
					.doesNotContain("secret");
				assertThat(health.details().get("error")).asString()
					.startsWith("Cannot connect to RabbitMQ at 127.0.0.1:1");
			});
	}

	@Test
	void busPropertiesSetOrderingConfirmsPrefetchDeliveryLimitAndRecovery() {
		this.contextRunner
			.withPropertyValues("eventbus.adapter=rabbitmq", "eventbus.rabbitmq.ordered-per-key=true",
					"eventbus.rabbitmq.confirm-timeout=3s", "eventbus.rabbitmq.prefetch=50",
					"eventbus.rabbitmq.delivery-limit=7", "eventbus.rabbitmq.recovery-interval=2s",
					"eventbus.rabbitmq.request-timeout=1s", "eventbus.dead-letter-suffix=-dead")
			.run((context) -> {
				RabbitMqEventBusAdapter adapter = context.getBean(RabbitMqEventBusAdapter.class);
				assertThat(adapter.capabilities().orderedPerKey()).isTrue();
				RabbitMqAdapterSettings settings = adapter.settings();
				assertThat(settings.orderedPerKey()).isTrue();
				assertThat(settings.confirmTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(settings.prefetch()).isEqualTo(50);
				assertThat(settings.deliveryLimit()).isEqualTo(7);
				assertThat(settings.recoveryInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(settings.deadLetterSuffix()).isEqualTo("-dead");
			});
	}

	@Test
	void backsOffToAnAdapterOfTheApplication() {
		this.contextRunner.withPropertyValues("eventbus.adapter=rabbitmq")
			.withBean("customAdapter", EventBusAdapter.class, InMemoryEventBusAdapter::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RabbitMqEventBusAdapter.class);
				assertThat(context.getBean(EventBus.class).adapter()).isSameAs(context.getBean("customAdapter"));
			});
	}

	@Test
	void isNotCreatedForAnotherAdapter() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RabbitMqEventBusAdapter.class)
			.hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void isNotCreatedWhenTheBusIsDisabled() {
		this.contextRunner.withPropertyValues("eventbus.adapter=rabbitmq", "eventbus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RabbitMqEventBusAdapter.class)
				.doesNotHaveBean(EventBus.class));
	}

	@Test
	void choosingRabbitmqWithoutSpringRabbitFailsStartupNamingTheDependency() {
		this.contextRunner.withPropertyValues("eventbus.adapter=rabbitmq")
			.withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(EventBusAdapterMissingException.class)
				.hasMessageContaining("org.springframework.amqp:spring-rabbit"));
	}

	@Test
	void invalidPrefetchFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("eventbus.adapter=rabbitmq", "eventbus.rabbitmq.prefetch=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("eventbus.rabbitmq.prefetch"));
	}

}
