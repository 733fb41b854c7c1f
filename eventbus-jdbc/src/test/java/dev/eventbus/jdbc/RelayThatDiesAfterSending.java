package dev.eventbus.jdbc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.codec.JsonEventCodec;
import dev.eventbus.codec.PlainJsonMapping;
import dev.eventbus.redis.RedisEventBusAdapter;
import dev.eventbus.redis.RedisStreamSettings;
import dev.eventbus.spi.ForwardingEventBusAdapter;
import dev.eventbus.spi.OutboundMessage;
import dev.eventbus.spi.SendResult;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A relay in a JVM of its own that stops dead right after the broker took its first row:
 * it prints {@code SENT <event id>} and never settles the row, holding its transaction
 * open, so that the test can kill it ({@code kill -9}) between the broker's
 * acknowledgement and the row being marked.
 * <p>
 * Arguments: JDBC URL, user, password, table prefix, Redis port.
 */
public final class RelayThatDiesAfterSending {

	private RelayThatDiesAfterSending() {
	}

	public static void main(String[] args) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(args[0]);
		dataSource.setUsername(args[1]);
		dataSource.setPassword(args[2]);
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(args[4])));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		RedisEventBusAdapter redis = new RedisEventBusAdapter(connectionFactory, RedisStreamSettings.of("dying-relay"));
		ForwardingEventBusAdapter stopsAfterTheAcknowledgement = new ForwardingEventBusAdapter(redis) {

			@Override
			public CompletableFuture<SendResult> send(OutboundMessage message) {
				delegate().send(message).join();
				System.out.println("SENT " + message.id());
				System.out.flush();
				return new CompletableFuture<>();
			}

		};
		JsonMapper jsonMapper = JsonMapper.builder().build();
		JdbcOutbox outbox = new JdbcOutbox(dataSource, new JdbcTables(args[3]), jsonMapper);
		OutboxRelay relay = new OutboxRelay(outbox, dataSource, stopsAfterTheAcknowledgement,
				new JsonEventCodec(jsonMapper, PlainJsonMapping.DEFAULT),
				OutboxSettings.DEFAULTS.withSendTimeout(Duration.ofMinutes(5)));
		relay.relayOnce();
	}

}
