package dev.eventbus.benchmarks;

import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.jdbc.JdbcOutbox;
import dev.eventbus.jdbc.JdbcPlatform;
import dev.eventbus.jdbc.JdbcSchema;
import dev.eventbus.jdbc.JdbcTables;
import dev.eventbus.jdbc.OutboxEventBusAdapter;
import dev.eventbus.jdbc.OutboxRelay;
import dev.eventbus.jdbc.OutboxSettings;
import dev.eventbus.memory.InMemoryEventBusAdapter;
import dev.eventbus.runtime.EventBus;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code eventbus-outbox} setup of {@link InMemoryComparison}, the bus's nearest peer
 * of Spring Modulith's event publication registry: the in-memory bus with its outbox on
 * an in-memory H2 database (HikariCP, the default outbox settings, the relay started), as
 * Spring Boot configures it with the actuator (one Micrometer Observation per publish and
 * per handling). Each event is published in a transaction of its own, which inserts its
 * outbox row; after the commit the relay sends the row to the handler and deletes it.
 */
final class OutboxBusTarget implements Setups.Target {

	private final Setups.Counter counter = new Setups.Counter();

	private final HikariDataSource dataSource = new HikariDataSource();

	private final InMemoryEventBusAdapter adapter = new InMemoryEventBusAdapter();

	private final OutboxRelay relay;

	private final EventBus bus;

	private final TransactionTemplate transactions;

	OutboxBusTarget() {
		this.dataSource.setJdbcUrl("jdbc:h2:mem:outbox;DB_CLOSE_DELAY=-1");
		JdbcTables tables = JdbcTables.DEFAULT;
		JdbcSchema.create(this.dataSource, JdbcPlatform.of(this.dataSource), tables);
		JsonMapper jsonMapper = JsonMapper.builder().build();
		JdbcOutbox outbox = new JdbcOutbox(this.dataSource, tables, jsonMapper);
		this.relay = new OutboxRelay(outbox, this.dataSource, this.adapter,
				new JsonEventCodec(jsonMapper, PlainJsonMapping.DEFAULT), OutboxSettings.DEFAULTS);
		this.bus = EventBus.builder()
			.adapter(this.adapter)
			.decorateAdapter((delegate) -> new OutboxEventBusAdapter(delegate, outbox, this.relay, ".dlq"))
			.observationRegistry(BusTarget.observations())
			.build();
		this.bus.registerHandlers("handler", new Setups.BusHandler(this.counter));
		this.bus.start();
		this.relay.start();
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	@Override
	public void expect(CountDownLatch latch) {
		this.counter.expect(latch);
	}

	@Override
	public void publish(int sequence) {
		this.transactions.executeWithoutResult((status) -> this.bus.publisher().publish(new Setups.Happened(sequence)));
	}

	@Override
	public void close() {
		this.relay.close();
		this.bus.close();
		this.adapter.close();
		this.dataSource.close();
	}

}
