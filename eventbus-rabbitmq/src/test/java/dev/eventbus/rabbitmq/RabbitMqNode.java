package dev.eventbus.rabbitmq;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;

/**
 * A RabbitMQ node of the tests' own, started from the OS package's
 * {@code rabbitmq-server} on free ports, with its data, logs and configuration in a
 * temporary directory: a node the tests may stop and restart, never the machine's broker.
 * Its node name is unique ({@code eventbus-<random>@localhost}); it is stopped with
 * {@code rabbitmqctl -n <node> stop}, else by killing the process it started. On Debian
 * the scripts are in {@code /usr/lib/rabbitmq/bin}, which are used directly so that a
 * root user runs the node itself rather than through the package's switch to the
 * {@code rabbitmq} user. Not thread safe.
 */
final class RabbitMqNode implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final String PACKAGE_SCRIPTS = "/usr/lib/rabbitmq/bin/";

	private final String nodeName = "eventbus-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";

	private final Path directory;

	private final int port;

	private final int distributionPort;

	private @Nullable Process process;

	private RabbitMqNode(Path directory) {
		this.directory = directory;
		this.port = freePort();
		this.distributionPort = freePort();
	}

	/**
	 * Start a node.
	 * @return the running node
	 * @throws IllegalStateException if RabbitMQ is not installed or does not start
	 */
	static RabbitMqNode start() {
		if (script("rabbitmq-server") == null) {
			throw new IllegalStateException("No RabbitMQ broker for the tests: none is given by the system property "
					+ RabbitMqBroker.ADDRESS_PROPERTY + " or the environment variable " + RabbitMqBroker.ADDRESS_ENV
					+ ", none answers on 127.0.0.1:5672, and rabbitmq-server is not installed to start one: "
					+ "install the Debian package rabbitmq-server (apt-get install rabbitmq-server)");
		}
		try {
			RabbitMqNode node = new RabbitMqNode(Files.createTempDirectory("eventbus-rabbitmq-"));
			node.configure();
			node.begin();
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.port;
	}

	String nodeName() {
		return this.nodeName;
	}

	private void configure() throws IOException {
		Files.writeString(this.directory.resolve("rabbitmq.conf"),
				String.join("\n", "listeners.tcp.1 = 127.0.0.1:" + this.port, "loopback_users = none",
						"disk_free_limit.absolute = 10MB", "log.console = false", ""));
		Files.writeString(this.directory.resolve("enabled_plugins"), "[].\n");
		Files.writeString(this.directory.resolve("rabbitmq-env.conf"), "");
	}

	private void begin() {
		ProcessBuilder builder = new ProcessBuilder(script("rabbitmq-server"));
		Map<String, String> environment = builder.environment();
		environment.put("RABBITMQ_NODENAME", this.nodeName);
		environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		environment.put("RABBITMQ_NODE_PORT", Integer.toString(this.port));
		environment.put("RABBITMQ_DIST_PORT", Integer.toString(this.distributionPort));
		environment.put("RABBITMQ_MNESIA_BASE", this.directory.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", this.directory.resolve("log").toString());
		environment.put("RABBITMQ_CONFIG_FILE", this.directory.resolve("rabbitmq.conf").toString());
		environment.put("RABBITMQ_ADVANCED_CONFIG_FILE", this.directory.resolve("advanced.config").toString());
		environment.put("RABBITMQ_CONF_ENV_FILE", this.directory.resolve("rabbitmq-env.conf").toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.directory.resolve("enabled_plugins").toString());
		environment.put("RABBITMQ_PID_FILE", this.directory.resolve("rabbitmq.pid").toString());
		builder.redirectErrorStream(true);
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("server.log").toFile()));
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start rabbitmq-server", ex);
		}
		Process started = this.process;
		Awaits.await(START_TIMEOUT, () -> !started.isAlive() || accepts(),
				() -> "RabbitMQ node " + this.nodeName + " did not start; see " + this.directory.resolve("server.log"));
		if (!started.isAlive()) {
			throw new IllegalStateException("RabbitMQ node " + this.nodeName + " exited at start: " + serverLog());
		}
	}

	/**
	 * Stop the node and start it again on the same port with the same data, returning
	 * once it accepts connections.
	 */
	void restart() {
		stop();
		begin();
	}

	/**
	 * Run {@code rabbitmqctl} against this node.
	 * @param arguments its arguments
	 * @return what it printed
	 */
	String ctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of(script("rabbitmqctl"), "-n", this.nodeName));
		command.addAll(List.of(arguments));
		return run(command);
	}

	private void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		try {
			ctl("stop");
		}
		catch (RuntimeException ex) {
			killNode();
		}
		try {
			if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				killNode();
				running.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Awaits.await(STOP_TIMEOUT, () -> !accepts(), "RabbitMQ node " + this.nodeName + " did not stop");
		this.process = null;
	}

	/**
	 * Kill the Erlang VM this node's script started, by the id it wrote.
	 */
	private void killNode() {
		Path pidFile = this.directory.resolve("rabbitmq.pid");
		try {
			if (Files.exists(pidFile)) {
				long pid = Long.parseLong(Files.readString(pidFile).trim());
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
		catch (IOException | NumberFormatException ex) {
			// nothing left to kill
		}
	}

	@Override
	public void close() {
		stop();
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String serverLog() {
		try {
			return Files.readString(this.directory.resolve("server.log"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	/**
	 * A RabbitMQ script: the package's own in {@code /usr/lib/rabbitmq/bin}, else the one
	 * on the {@code PATH}.
	 */
	static @Nullable String script(String name) {
		if (Files.isExecutable(Path.of(PACKAGE_SCRIPTS + name))) {
			return PACKAGE_SCRIPTS + name;
		}
		String path = System.getenv("PATH");
		for (String directory : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			if (Files.isExecutable(Path.of(directory, name))) {
				return Path.of(directory, name).toString();
			}
		}
		return null;
	}

	/**
	 * Run a command and return its output.
	 * @throws IllegalStateException if it fails
	 */
	static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
