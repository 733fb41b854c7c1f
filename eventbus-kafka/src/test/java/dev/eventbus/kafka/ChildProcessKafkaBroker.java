package dev.eventbus.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.eventbus.test.Awaits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A single-node KRaft broker in a child JVM, started from the Kafka server jars on the
 * test class path with {@code kafka.Kafka}, on fixed ports and a log directory that
 * survive a {@link #restart()}: stopping it (SIGTERM, a controlled shutdown) and starting
 * it again keeps every record and committed offset, as a real broker restart does. Its
 * output goes to {@code target/child-kafka-broker.log}.
 */
final class ChildProcessKafkaBroker implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final Path directory;

	private final Path properties;

	private final int port;

	private @Nullable Process process;

	private ChildProcessKafkaBroker(Path directory, int port) {
		this.directory = directory;
		this.properties = directory.resolve("server.properties");
		this.port = port;
	}

	static ChildProcessKafkaBroker start() {
		try {
			Path directory = Files.createTempDirectory("eventbus-kafka-broker");
			int port = freePort();
			ChildProcessKafkaBroker broker = new ChildProcessKafkaBroker(directory, port);
			broker.writeProperties(freePort());
			broker.format();
			broker.launch();
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String bootstrapServers() {
		return "localhost:" + this.port;
	}

	/**
	 * Stop the broker with a controlled shutdown and start it again on the same port and
	 * data.
	 */
	void restart() {
		stop();
		launch();
	}

	/**
	 * Start the broker again after {@link #stop()}, on the same port and data.
	 */
	void startAgain() {
		launch();
	}

	private void writeProperties(int controllerPort) throws IOException {
		List<String> lines = new ArrayList<>(List.of("process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@localhost:" + controllerPort,
				"listeners=PLAINTEXT://localhost:" + this.port + ",CONTROLLER://localhost:" + controllerPort,
				"advertised.listeners=PLAINTEXT://localhost:" + this.port, "controller.listener.names=CONTROLLER",
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
				"inter.broker.listener.name=PLAINTEXT", "log.dirs=" + this.directory.resolve("data"),
				"offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
				"transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
				"share.coordinator.state.topic.min.isr=1"));
		EmbeddedKafka.brokerProperties().forEach((name, value) -> lines.add(name + "=" + value));
		Files.write(this.properties, lines);
	}

	private void format() {
		run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
				this.properties.toString()), true);
	}

	private void launch() {
		Process started = run(List.of("kafka.Kafka", this.properties.toString()), false);
		this.process = started;
		Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		try (Admin client = Admin.create(admin)) {
			Awaits.await(START_TIMEOUT, () -> {
				if (!started.isAlive()) {
					throw new IllegalStateException("Child Kafka broker exited with " + started.exitValue()
							+ "; see target/child-kafka-broker.log");
				}
				try {
					return !client.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
				}
				catch (Exception ex) {
					return false;
				}
			}, "Child Kafka broker did not start");
		}
	}

	private Process run(List<String> arguments, boolean wait) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
						"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
		command.addAll(arguments);
		try {
			Path log = Path.of("target", "child-kafka-broker.log");
			Files.createDirectories(log.getParent());
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (wait && (!started.waitFor(60, TimeUnit.SECONDS) || started.exitValue() != 0)) {
				started.destroyForcibly();
				throw new IllegalStateException("'" + String.join(" ", arguments) + "' failed; see " + log);
			}
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stop the broker with a controlled shutdown, waiting for its process to end.
	 */
	void stop() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		this.process = null;
		current.destroy();
		try {
			if (!current.waitFor(30, TimeUnit.SECONDS)) {
				current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() {
		stop();
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
