package dev.eventbus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.DeadLetters;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import dev.eventbus.api.EventPublisher;
import dev.eventbus.api.PublishResult;
import dev.eventbus.autoconfigure.fixtures.ControllableAdapter;
import dev.eventbus.autoconfigure.fixtures.OrderCreated;
import dev.eventbus.autoconfigure.fixtures.RecordingOrderHandler;
import dev.eventbus.memory.InMemoryAdapterSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import dev.eventbus.runtime.EventBusBuilder;
import dev.eventbus.runtime.EventHandlerBeanPostProcessor;
import dev.eventbus.runtime.HandlerInfo;
import dev.eventbus.runtime.RetrySettings;
import dev.eventbus.spi.EventBusAdapter;
import dev.eventbus.test.EventBusRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

class EventBusAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class));

	@Test
	void createsBusPublisherDeadLettersAndInMemoryAdapterByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EventBus.class)
				.hasSingleBean(EventPublisher.class)
				.hasSingleBean(DeadLetters.class)
				.hasSingleBean(InMemoryEventBusAdapter.class)
				.hasSingleBean(EventHandlerBeanPostProcessor.class);
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.adapter()).isSameAs(context.getBean(InMemoryEventBusAdapter.class));
			assertThat(context.getBean(EventPublisher.class)).isSameAs(bus.publisher());
			assertThat(context.getBean(DeadLetters.class)).isSameAs(bus.deadLetters());
			assertThat(bus.isRunning()).isTrue();
			assertThat(bus.router().defaultDestination()).isEqualTo("events");
			assertThat(bus.router().routes()).isEmpty();
			assertThat(bus.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(context.getBean(InMemoryEventBusAdapter.class).settings())
				.isEqualTo(InMemoryAdapterSettings.DEFAULTS);
		});
	}

	@Test
	void propertyDefaultsMatchTheRuntimeDefaults() {
		this.contextRunner.run((context) -> {
			EventBusProperties properties = context.getBean(EventBusProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getAdapter()).isEqualTo("memory");
			assertThat(properties.getDefaultDestination()).isEqualTo("events");
			assertThat(properties.getRoutes()).isEmpty();
			assertThat(properties.getSource()).isNull();
			assertThat(properties.getDeadLetterSuffix()).isEqualTo(".dlq");
			assertThat(properties.getPublishTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getHandler().getGroup()).isNull();
			assertThat(properties.getHandler().getConcurrency()).isEqualTo(1);
			EventBusProperties.Retry retry = properties.getHandler().getRetry();
			assertThat(new RetrySettings(retry.getMaxRetries(), retry.getDelay(), retry.getMultiplier(),
					retry.getMaxDelay(), retry.getJitter()))
				.isEqualTo(RetrySettings.DEFAULTS);
			assertThat(properties.getHandler().getTimeout()).isNull();
			EventBusProperties.Memory memory = properties.getMemory();
			assertThat(new InMemoryAdapterSettings(memory.getQueueCapacity(), memory.getEnqueueTimeout(),
					memory.getHistorySize()))
				.isEqualTo(InMemoryAdapterSettings.DEFAULTS);
			EventBusProperties.Plain plain = properties.getCodec().getPlain();
			assertThat(List.of(plain.getIdField(), plain.getTypeField(), plain.getSubjectField(), plain.getTimeField(),
					plain.getCorrelationIdField(), plain.getDataField()))
				.containsExactly("id", "type", "subject", "time", "correlationId", "data");
		});
	}

	@Test
	void handlerBeanReceivesEventPublishedThroughThePublisher() {
		this.contextRunner.withBean(RecordingOrderHandler.class).run((context) -> {
			RecordingOrderHandler handler = context.getBean(RecordingOrderHandler.class);
			PublishResult result = context.getBean(EventPublisher.class).publish(new OrderCreated("o-1"));
			await().atMost(WAIT).until(() -> handler.received().size() == 1);
			Event<OrderCreated> event = handler.received().get(0);
			assertThat(event.id()).isEqualTo(result.eventId());
			assertThat(event.type()).isEqualTo("order.created");
			assertThat(event.payload()).isEqualTo(new OrderCreated("o-1"));
			assertThat(event.source()).isEqualTo("urn:eventbus:application");
			assertThat(result.destination()).isEqualTo("events");
		});
	}

	@Test
	void propertiesConfigureRoutesHandlersAndTheInMemoryAdapter() {
		this.contextRunner.withBean(RecordingOrderHandler.class)
			.withPropertyValues("eventbus.default-destination=misc", "eventbus.routes[0].types=order.*,payment.*",
					"eventbus.routes[0].destination=orders", "eventbus.routes[1].types=order.created",
					"eventbus.routes[1].destination=never", "eventbus.source=urn:shop",
					"eventbus.dead-letter-suffix=-dead", "eventbus.shutdown-timeout=5s", "eventbus.handler.group=shop",
					"eventbus.handler.concurrency=4", "eventbus.handler.retry.max-retries=4",
					"eventbus.handler.retry.delay=10ms", "eventbus.handler.retry.multiplier=3",
					"eventbus.handler.retry.max-delay=1s", "eventbus.handler.retry.jitter=0",
					"eventbus.memory.queue-capacity=50", "eventbus.memory.enqueue-timeout=250ms",
					"eventbus.memory.history-size=10")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.router().routes()).containsExactly(entry("order.*", "orders"),
						entry("payment.*", "orders"), entry("order.created", "never"));
				assertThat(bus.router().route("order.created")).isEqualTo("orders");
				assertThat(bus.router().route("stock.changed")).isEqualTo("misc");
				assertThat(bus.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
				HandlerInfo handler = bus.handlers().get(0);
				assertThat(handler.group()).isEqualTo("shop");
				assertThat(handler.concurrency()).isEqualTo(4);
				assertThat(handler.destinations()).containsExactly("orders");
				assertThat(handler.retry())
					.isEqualTo(new RetrySettings(4, Duration.ofMillis(10), 3.0, Duration.ofSeconds(1), Duration.ZERO));
				assertThat(context.getBean(InMemoryEventBusAdapter.class).settings())
					.isEqualTo(new InMemoryAdapterSettings(50, Duration.ofMillis(250), 10));
				PublishResult result = bus.publisher().publish(new OrderCreated("o-2"));
				assertThat(result.destination()).isEqualTo("orders");
				RecordingOrderHandler recorder = context.getBean(RecordingOrderHandler.class);
				await().atMost(WAIT).until(() -> recorder.received().size() == 1);
				assertThat(recorder.received().get(0).source()).isEqualTo("urn:shop");
			});
	}

	@Test
	void interceptorBeansSeeEveryPublishAndHandling() {
		this.contextRunner.withBean(RecordingOrderHandler.class)
			.withBean(EventBusRecorder.class, EventBusRecorder::new)
			.run((context) -> {
				EventBusRecorder recorder = context.getBean(EventBusRecorder.class);
				context.getBean(EventPublisher.class).publish(new OrderCreated("o-9"));
				assertThat(recorder.handled(RecordingOrderHandler.HANDLER_ID).awaitCount(1, WAIT))
					.extracting((event) -> (Object) event.payload())
					.containsExactly(new OrderCreated("o-9"));
				assertThat(recorder.published().events()).singleElement()
					.satisfies((event) -> assertThat(event.type()).isEqualTo("order.created"));
			});
	}

	@Test
	void applicationNameIsTheDefaultGroupAndNamesTheSource() {
		this.contextRunner.withBean(RecordingOrderHandler.class)
			.withPropertyValues("spring.application.name=billing")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.handlers()).singleElement()
					.satisfies((handler) -> assertThat(handler.group()).isEqualTo("billing"));
				assertThat(bus.subscriptions()).singleElement()
					.satisfies((subscription) -> assertThat(subscription.group()).isEqualTo("billing"));
				bus.publisher().publish(new OrderCreated("o-3"));
				RecordingOrderHandler recorder = context.getBean(RecordingOrderHandler.class);
				await().atMost(WAIT).until(() -> recorder.received().size() == 1);
				assertThat(recorder.received().get(0).source()).isEqualTo("urn:eventbus:billing");
			});
	}

	@Test
	void eventTypeClassesOfTheConfiguredPackagesAreRegisteredAtStartUp() {
		this.contextRunner.withPropertyValues("eventbus.type-packages=dev.eventbus.autoconfigure.fixtures")
			.run((context) -> assertThat(context.getBean(EventBus.class).typeRegistry().describe())
				.containsEntry("order.created", List.of(OrderCreated.class.getName())));
		this.contextRunner.run((context) -> assertThat(context.getBean(EventBus.class).typeRegistry().types())
			.doesNotContain("order.created"));
	}

	@Test
	void placeholdersInHandlerAnnotationsAreResolvedFromTheEnvironment() {
		this.contextRunner.withBean(PlaceholderHandler.class)
			.withPropertyValues("app.group=auditors", "app.destination=audit-log")
			.run((context) -> {
				HandlerInfo handler = context.getBean(EventBus.class).handlers().get(0);
				assertThat(handler.group()).isEqualTo("auditors");
				assertThat(handler.destinations()).containsExactly("audit-log");
			});
	}

	@Test
	void usesTheApplicationJsonMapper() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(EventBus.class).codec().objectMapper())
				.isSameAs(context.getBean(JsonMapper.class)));
	}

	@Test
	void appliesBuilderCustomizersInOrder() {
		this.contextRunner.withBean("late", EventBusBuilderCustomizer.class, LateCustomizer::new)
			.withBean("early", EventBusBuilderCustomizer.class, EarlyCustomizer::new)
			.run((context) -> assertThat(context.getBean(EventBus.class).router().defaultDestination())
				.isEqualTo("late"));
	}

	@Test
	void backsOffToUserDefinedAdapter() {
		this.contextRunner.withBean(ControllableAdapter.class).run((context) -> {
			assertThat(context).hasSingleBean(EventBusAdapter.class).doesNotHaveBean(InMemoryEventBusAdapter.class);
			assertThat(context.getBean(EventBus.class).adapter()).isSameAs(context.getBean(ControllableAdapter.class));
		});
	}

	@Test
	void backsOffToUserDefinedPublisher() {
		EventPublisher publisher = mock(EventPublisher.class);
		this.contextRunner.withBean(EventPublisher.class, () -> publisher).run((context) -> {
			assertThat(context).hasSingleBean(EventPublisher.class).hasSingleBean(EventBus.class);
			assertThat(context.getBean(EventPublisher.class)).isSameAs(publisher);
		});
	}

	@Test
	void backsOffToUserDefinedBus() {
		InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();
		EventBus userBus = EventBus.builder().adapter(adapter).defaultDestination("custom").build();
		this.contextRunner.withBean(EventBus.class, () -> userBus).run((context) -> {
			assertThat(context).hasSingleBean(EventBus.class);
			assertThat(context.getBean(EventBus.class)).isSameAs(userBus);
			assertThat(context.getBean(EventPublisher.class)).isSameAs(userBus.publisher());
			assertThat(context.getBean(DeadLetters.class)).isSameAs(userBus.deadLetters());
		});
		adapter.close();
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withBean(RecordingOrderHandler.class)
			.withPropertyValues("eventbus.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventBus.class)
				.doesNotHaveBean(EventPublisher.class)
				.doesNotHaveBean(EventBusAdapter.class)
				.doesNotHaveBean(EventHandlerBeanPostProcessor.class));
	}

	@Test
	void adapterNameIsCaseInsensitive() {
		this.contextRunner.withPropertyValues("eventbus.adapter=Memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryEventBusAdapter.class));
	}

	@Test
	void closesTheInMemoryAdapterWithTheContext() {
		this.contextRunner.run((context) -> {
			InMemoryEventBusAdapter adapter = context.getBean(InMemoryEventBusAdapter.class);
			context.close();
			assertThat(adapter.health().up()).isFalse();
		});
	}

	static class PlaceholderHandler {

		@EventHandler(types = "audit.recorded", group = "${app.group}", destinations = "${app.destination}")
		void on(Map<String, Object> payload) {
		}

	}

	@Order(1)
	static class EarlyCustomizer implements EventBusBuilderCustomizer {

		@Override
		public void customize(EventBusBuilder builder) {
			builder.defaultDestination("early");
		}

	}

	@Order(2)
	static class LateCustomizer implements EventBusBuilderCustomizer {

		@Override
		public void customize(EventBusBuilder builder) {
			builder.defaultDestination("late");
		}

	}

}
