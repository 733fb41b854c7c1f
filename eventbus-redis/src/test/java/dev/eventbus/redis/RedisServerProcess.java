package dev.eventbus.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@code redis-server} process of the tests, on a free port, never the machine's Redis.
 * The binary is the file named by the {@code REDIS_SERVER} environment variable, else
 * {@code redis-server} from the {@code PATH}, else the one bundled in embedded-redis.
 * Without persistence by default; with {@link #persistent()} it writes an append-only
 * file to a temporary directory, so data survives {@link #restart()}.
 * <p>
 * Public, and shipped in this module's test jar, so that other modules' tests (the sample
 * application's) start their Redis the same way. Not thread safe; one per test class.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final String BUNDLED = "redis-server-6.2.6-v5-linux-amd64";

	private static @Nullable String binary;

	private final int port;

	private final @Nullable Path dataDirectory;

	private final @Nullable String password;

	private final List<String> extraArguments;

	private @Nullable Process process;

	private RedisServerProcess(@Nullable Path dataDirectory, @Nullable String password, String... extraArguments) {
		this.port = freePort();
		this.dataDirectory = dataDirectory;
		this.password = password;
		this.extraArguments = List.of(extraArguments);
	}

	/**
	 * Start a server without persistence.
	 * @return the running server
	 */
	public static RedisServerProcess start() {
		return new RedisServerProcess(null, null).begin();
	}

	/**
	 * Start a server that keeps its data in an append-only file across restarts.
	 * @return the running server
	 */
	static RedisServerProcess persistent() {
		try {
			return new RedisServerProcess(Files.createTempDirectory("eventbus-redis-"), null).begin();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a server with cluster mode enabled and no slots assigned yet, keeping its
	 * cluster configuration and append-only file in a temporary directory.
	 * @return the running server
	 */
	static RedisServerProcess clusterNode() {
		try {
			return new RedisServerProcess(Files.createTempDirectory("eventbus-redis-cluster-"), null,
					"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
				.begin();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a server that requires a password ({@code requirepass}).
	 * @param password the password
	 * @return the running server
	 */
	static RedisServerProcess withPassword(String password) {
		return new RedisServerProcess(null, password).begin();
	}

	/**
	 * Start a server with an ACL user that may run every command, besides the default
	 * user.
	 * @param username the user
	 * @param password its password
	 * @return the running server
	 */
	static RedisServerProcess withAclUser(String username, String password) {
		return withAclUser(username, password, "+@all");
	}

	/**
	 * Start a server with an ACL user with the given command rules, besides the default
	 * user.
	 * @param username the user
	 * @param password its password
	 * @param commandRules the user's command rules, such as {@code +@all -xack}
	 * @return the running server
	 */
	static RedisServerProcess withAclUser(String username, String password, String... commandRules) {
		List<String> arguments = new ArrayList<>(List.of("--user", username, "on", ">" + password, "~*", "&*"));
		arguments.addAll(List.of(commandRules));
		return new RedisServerProcess(null, null, arguments.toArray(String[]::new)).begin();
	}

	/**
	 * The port the server listens on, on {@code 127.0.0.1}.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * A Lettuce connection factory for this server, started.
	 * @param password the password to send, or {@code null}
	 * @param timeout the command timeout
	 * @return the factory; the caller destroys it
	 */
	public LettuceConnectionFactory connectionFactory(@Nullable String password, Duration timeout) {
		return connectionFactory(null, password, timeout);
	}

	/**
	 * A Lettuce connection factory for this server, started.
	 * @param username the ACL user, or {@code null} for the default user
	 * @param password the password to send, or {@code null}
	 * @param timeout the command timeout
	 * @return the factory; the caller destroys it
	 */
	LettuceConnectionFactory connectionFactory(@Nullable String username, @Nullable String password, Duration timeout) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1", this.port);
		if (username != null) {
			configuration.setUsername(username);
		}
		if (password != null) {
			configuration.setPassword(password);
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(timeout).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private RedisServerProcess begin() {
		List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--daemonize", "no", "--protected-mode", "no"));
		if (this.dataDirectory != null) {
			command.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec", "--dir",
					this.dataDirectory.toString()));
		}
		else {
			command.addAll(List.of("--appendonly", "no"));
		}
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
		}
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command.get(0), ex);
		}
		Awaits.await(START_TIMEOUT, this::answers, () -> "redis-server did not answer on port " + this.port);
		return this;
	}

	/**
	 * Stop the server gracefully (SIGTERM: the append-only file is flushed) and start it
	 * again on the same port.
	 */
	void restart() {
		stop();
		begin();
	}

	/**
	 * Stop the server gracefully and wait for the process to end.
	 */
	public void stop() {
		Process running = this.process;
		this.process = null;
		if (running == null) {
			return;
		}
		running.destroy();
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start the server again on its port, after {@link #stop()}.
	 */
	public void resume() {
		begin();
	}

	@Override
	public void close() {
		stop();
		if (this.dataDirectory != null) {
			try (Stream<Path> files = Files.walk(this.dataDirectory)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException ex) {
				// a temporary directory left behind is harmless
			}
		}
	}

	private boolean answers() {
		Process running = this.process;
		if (running == null || !running.isAlive()) {
			throw new IllegalStateException("redis-server on port " + this.port + " exited");
		}
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			for (int next = in.read(); next != -1 && next != '\r'; next = in.read()) {
				line.append((char) next);
			}
			return line.toString().equals("+PONG") || line.toString().startsWith("-NOAUTH");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The server binary: {@code REDIS_SERVER} if set, else {@code redis-server} from the
	 * {@code PATH}, else the Linux x86-64 Redis 6.2 bundled in the embedded-redis test
	 * dependency, copied to a temporary file once.
	 * @return the command
	 */
	static synchronized String binary() {
		if (binary == null) {
			String configured = System.getenv("REDIS_SERVER");
			if (configured != null && !configured.isBlank()) {
				binary = configured;
			}
			else if (onPath("redis-server")) {
				binary = "redis-server";
			}
			else {
				binary = extractBundled();
			}
		}
		return binary;
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

	private static String extractBundled() {
		try (InputStream in = RedisServerProcess.class.getClassLoader().getResourceAsStream(BUNDLED)) {
			if (in == null) {
				throw new IllegalStateException("No redis-server on the PATH and no " + BUNDLED
						+ " on the class path: install redis-server (Debian package redis-server) or set REDIS_SERVER");
			}
			Path file = Files.createTempFile("redis-server-", "");
			Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			file.toFile().setExecutable(true);
			file.toFile().deleteOnExit();
			return file.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the server reports the lag of consumer groups (Redis 7 and later).
	 * @return whether XINFO GROUPS has a {@code lag} field
	 */
	static boolean reportsLag() {
		try {
			Process version = new ProcessBuilder(binary(), "--version").redirectErrorStream(true).start();
			String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			version.waitFor(5, TimeUnit.SECONDS);
			int start = output.indexOf("v=");
			return start >= 0 && Character.getNumericValue(output.charAt(start + 2)) >= 7;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
