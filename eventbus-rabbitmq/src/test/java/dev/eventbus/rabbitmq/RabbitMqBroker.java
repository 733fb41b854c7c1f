package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The RabbitMQ of the tests. {@link #shared()} is the broker given by the system property
 * {@value #ADDRESS_PROPERTY} or the environment variable {@value #ADDRESS_ENV} (an AMQP
 * URI, {@code amqp://user:password@host:port/vhost}), else the one on
 * {@code 127.0.0.1:5672} ({@code guest}/{@code guest}) when it answers, else a node the
 * tests start. {@link #owned()} is always a node the tests start ({@link RabbitMqNode}),
 * for what must never be done to a shared broker, such as restarting it; it is stopped
 * when the JVM exits. Tests use names of their own on a shared broker and delete what
 * they declared.
 * <p>
 * Public, and shipped in this module's test jar, so that other modules' tests (the sample
 * application's) find their broker the same way. Thread safe.
 */
public final class RabbitMqBroker {

	/** System property naming the broker of the tests. */
	public static final String ADDRESS_PROPERTY = "eventbus.test.rabbitmq.address";

	/** Environment variable naming the broker of the tests. */
	public static final String ADDRESS_ENV = "EVENTBUS_TEST_RABBITMQ";

	private static final String LOCAL = "amqp://guest:guest@127.0.0.1:5672/%2F";

	private static @Nullable RabbitMqBroker shared;

	private static @Nullable RabbitMqBroker owned;

	private final URI uri;

	private final @Nullable RabbitMqNode node;

	/** Whether {@code rabbitmqctl} on this machine reaches the broker. */
	private final boolean controllable;

	private RabbitMqBroker(URI uri, @Nullable RabbitMqNode node, boolean controllable) {
		this.uri = uri;
		this.node = node;
		this.controllable = controllable;
	}

	/**
	 * The broker most tests share.
	 * @return the broker
	 */
	public static synchronized RabbitMqBroker shared() {
		if (shared == null) {
			String given = System.getProperty(ADDRESS_PROPERTY, System.getenv(ADDRESS_ENV));
			if (given != null && !given.isBlank()) {
				shared = new RabbitMqBroker(URI.create(given.trim()), null, false);
			}
			else if (answers("127.0.0.1", 5672)) {
				shared = new RabbitMqBroker(URI.create(LOCAL), null, RabbitMqNode.script("rabbitmqctl") != null);
			}
			else {
				shared = owned();
			}
		}
		return shared;
	}

	/**
	 * A broker the tests own and may restart.
	 * @return the broker
	 */
	public static synchronized RabbitMqBroker owned() {
		if (owned == null) {
			RabbitMqNode node = RabbitMqNode.start();
			Runtime.getRuntime().addShutdownHook(new Thread(node::close, "eventbus-rabbitmq-node-stop"));
			owned = new RabbitMqBroker(URI.create("amqp://guest:guest@127.0.0.1:" + node.port() + "/%2F"), node, true);
		}
		return owned;
	}

	/**
	 * A connection factory for the adapter: correlated confirms and returns on.
	 * @return a new factory, destroyed by the caller
	 */
	public CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory(this.uri);
		factory.setPublisherConfirmType(ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		return factory;
	}

	/**
	 * A connection factory for the adapter with other credentials.
	 * @param username the user
	 * @param password the password
	 * @return a new factory, destroyed by the caller
	 */
	CachingConnectionFactory connectionFactory(String username, String password) {
		CachingConnectionFactory factory = connectionFactory();
		factory.setUsername(username);
		factory.setPassword(password);
		return factory;
	}

	/**
	 * The broker's host and port.
	 * @return {@code host:port}
	 */
	public String address() {
		return this.uri.getHost() + ":" + this.uri.getPort();
	}

	/**
	 * Stop and start the broker: only a broker the tests own.
	 */
	void restart() {
		if (this.node == null) {
			throw new IllegalStateException("The tests never restart a broker they do not own");
		}
		this.node.restart();
	}

	/**
	 * The messages a queue holds, ready or delivered and unacknowledged, as
	 * {@code rabbitmqctl list_queues} reports them (AMQP itself reports only those
	 * ready).
	 * @param queue the queue
	 * @return the count, or -1 when {@code rabbitmqctl} cannot reach the broker
	 */
	long messages(String queue) {
		if (!this.controllable) {
			return -1;
		}
		List<String> arguments = List.of("-q", "list_queues", "-p", virtualHost(), "--no-table-headers", "name",
				"messages");
		String output;
		if (this.node != null) {
			output = this.node.ctl(arguments.toArray(String[]::new));
		}
		else {
			List<String> command = new ArrayList<>();
			command.add("rabbitmqctl");
			command.addAll(arguments);
			output = RabbitMqNode.run(command);
		}
		for (String line : output.split("\n")) {
			String[] columns = line.trim().split("\\s+");
			if (columns.length == 2 && columns[0].equals(queue)) {
				return Long.parseLong(columns[1]);
			}
		}
		throw new IllegalStateException("No queue '" + queue + "' on " + address() + ": " + output);
	}

	private String virtualHost() {
		String path = this.uri.getPath();
		return (path == null || path.length() <= 1) ? "/" : path.substring(1);
	}

	/**
	 * Delete queues and exchanges a test declared.
	 * @param queues the queues
	 * @param exchanges the exchanges
	 */
	void delete(Collection<String> queues, Collection<String> exchanges) {
		CachingConnectionFactory factory = new CachingConnectionFactory(this.uri);
		try {
			RabbitAdmin admin = new RabbitAdmin(factory);
			queues.forEach(admin::deleteQueue);
			exchanges.forEach(admin::deleteExchange);
		}
		finally {
			factory.destroy();
		}
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "RabbitMqBroker[" + address() + ((this.node != null) ? ", node " + this.node.nodeName() : "") + "]";
	}

}
