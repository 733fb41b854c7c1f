package dev.eventbus.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.test.Awaits;
import org.jspecify.annotations.Nullable;

/**
 * The databases the tests run on, one pool each per test JVM. PostgreSQL and MariaDB are
 * found in this order: the JDBC URL of a system property or environment variable
 * ({@code eventbus.test.postgresql.url} / {@code EVENTBUS_TEST_POSTGRESQL_URL}, with
 * {@code .username} and {@code .password}; the same for {@code mariadb}), the server on
 * the standard local port, a throwaway server started from the OS binaries in a temporary
 * directory (at once with {@code eventbus.test.postgresql.start=true}); else the test
 * fails naming the package to install. H2 runs in memory, in PostgreSQL mode.
 */
final class TestDatabases {

	private static @Nullable HikariDataSource postgresql;

	private static @Nullable HikariDataSource mariadb;

	private static final List<Process> servers = new ArrayList<>();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.forEach(Process::destroy)));
	}

	private TestDatabases() {
	}

	static synchronized DataSource postgresql() {
		if (postgresql == null) {
			postgresql = pool(find("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
					TestDatabases::startPostgresql);
		}
		return postgresql;
	}

	static synchronized DataSource mariadb() {
		if (mariadb == null) {
			mariadb = pool(find("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", ""),
					TestDatabases::startMariadb);
		}
		return mariadb;
	}

	/**
	 * A new in-memory H2 database in PostgreSQL mode, kept until the JVM ends.
	 * @return its pool
	 */
	static DataSource h2() {
		return pool(
				new Login("jdbc:h2:mem:eventbus-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1", "sa", ""),
				() -> {
					throw new IllegalStateException("H2 runs in memory");
				});
	}

	/**
	 * Tables of their own for one test class on a shared database.
	 * @return table names with a random prefix
	 */
	static JdbcTables freshTables() {
		return new JdbcTables("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_");
	}

	private static HikariDataSource pool(@Nullable Login login, java.util.function.Supplier<Login> start) {
		Login reachable = (login != null) ? login : start.get();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(reachable.url());
		config.setUsername(reachable.username());
		config.setPassword(reachable.password());
		config.setMaximumPoolSize(16);
		return new HikariDataSource(config);
	}

	/**
	 * The login given by a property or environment variable, else the local server's when
	 * it answers.
	 */
	private static @Nullable Login find(String name, String localUrl, String localUser, String localPassword) {
		String url = setting("eventbus.test." + name + ".url");
		if (url != null) {
			Login given = new Login(url, orEmpty(setting("eventbus.test." + name + ".username")),
					orEmpty(setting("eventbus.test." + name + ".password")));
			if (!answers(given)) {
				throw new IllegalStateException("The " + name + " database given by eventbus.test." + name + ".url ("
						+ url + ") does not answer");
			}
			return given;
		}
		if ("true".equals(setting("eventbus.test." + name + ".start"))) {
			return null;
		}
		Login local = new Login(localUrl, localUser, localPassword);
		return answers(local) ? local : null;
	}

	private static Login startPostgresql() {
		Path bin = binaries("/usr/lib/postgresql", "initdb",
				"PostgreSQL is not running on 127.0.0.1:5432 and its binaries are missing: "
						+ "install the Debian package postgresql, or set eventbus.test.postgresql.url");
		Path directory = temporaryDirectory("eventbus-postgresql");
		int port = freePort();
		boolean root = "root".equals(System.getProperty("user.name"));
		List<String> owner = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
		if (root) {
			run(List.of("chown", "postgres", directory.toString()));
		}
		run(with(owner, bin.resolve("initdb").toString(), "-D", directory.resolve("data").toString(), "-U", "postgres",
				"-A", "trust"));
		servers.add(start(with(owner, bin.resolve("postgres").toString(), "-D", directory.resolve("data").toString(),
				"-p", Integer.toString(port), "-k", directory.toString(), "-h", "127.0.0.1")));
		Login login = new Login("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
		Awaits.await(Duration.ofSeconds(30), () -> answers(login), () -> "the throwaway PostgreSQL did not start");
		return login;
	}

	private static Login startMariadb() {
		Path directory = temporaryDirectory("eventbus-mariadb");
		int port = freePort();
		String installDb = onPath("mariadb-install-db") ? "mariadb-install-db" : "mysql_install_db";
		if (!onPath(installDb)) {
			throw new IllegalStateException("MariaDB is not running on 127.0.0.1:3306 and its binaries are missing: "
					+ "install the Debian package mariadb-server, or set eventbus.test.mariadb.url");
		}
		String user = System.getProperty("user.name");
		run(List.of(installDb, "--no-defaults", "--datadir=" + directory.resolve("data"), "--user=" + user,
				"--auth-root-authentication-method=normal"));
		servers.add(start(List.of(onPath("mariadbd") ? "mariadbd" : "mysqld", "--no-defaults",
				"--datadir=" + directory.resolve("data"), "--user=" + user, "--port=" + port,
				"--bind-address=127.0.0.1", "--socket=" + directory.resolve("mysqld.sock"), "--skip-grant-tables")));
		Login server = new Login("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
		Awaits.await(Duration.ofSeconds(30), () -> answers(server), () -> "the throwaway MariaDB did not start");
		try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password())) {
			connection.createStatement().execute("CREATE DATABASE IF NOT EXISTS test");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test database of the throwaway MariaDB", ex);
		}
		return new Login("jdbc:mariadb://127.0.0.1:" + port + "/test", "root", "");
	}

	private static boolean answers(Login login) {
		try (Connection connection = DriverManager.getConnection(login.url(), login.username(), login.password())) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static Path binaries(String root, String probe, String missing) {
		try (var versions = Files.list(Path.of(root))) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve(probe)))
				.max(Path::compareTo)
				.orElseThrow(() -> new IllegalStateException(missing));
		}
		catch (IOException ex) {
			throw new IllegalStateException(missing, ex);
		}
	}

	private static List<String> with(List<String> prefix, String... command) {
		List<String> all = new ArrayList<>(prefix);
		all.addAll(List.of(command));
		return all;
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted running " + command.get(0), ex);
		}
	}

	private static Process start(List<String> command) {
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command.get(0), ex);
		}
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/usr/bin", command));
	}

	private static Path temporaryDirectory(String prefix) {
		try {
			Path directory = Files.createTempDirectory(prefix);
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a temporary directory", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port", ex);
		}
	}

	private static @Nullable String setting(String property) {
		String value = System.getProperty(property);
		if (value == null) {
			value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
		}
		return (value != null && !value.isBlank()) ? value : null;
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private record Login(String url, String username, String password) {
	}

}
