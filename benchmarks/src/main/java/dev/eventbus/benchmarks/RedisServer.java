package dev.eventbus.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.eventbus.test.Awaits;

/**
 * A {@code redis-server} child process from the {@code PATH} (or
 * {@code -Dbench.redisServer}) on a free port, without persistence, never the machine's
 * own Redis.
 */
final class RedisServer implements AutoCloseable {

	private final int port;

	private final Process process;

	private RedisServer(int port, Process process) {
		this.port = port;
		this.process = process;
	}

	static RedisServer start() throws IOException, InterruptedException {
		int port = freePort();
		Process process = new ProcessBuilder(System.getProperty("bench.redisServer", "redis-server"), "--port",
				String.valueOf(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		Awaits.await(Duration.ofSeconds(10), () -> !process.isAlive() || accepts(port),
				"redis-server did not start on port " + port);
		if (!process.isAlive()) {
			throw new IllegalStateException("redis-server exited at start on port " + port);
		}
		return new RedisServer(port, process);
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	String version() throws IOException, InterruptedException {
		Process version = new ProcessBuilder(System.getProperty("bench.redisServer", "redis-server"), "--version")
			.redirectErrorStream(true)
			.start();
		String text = new String(version.getInputStream().readAllBytes()).trim();
		version.waitFor();
		return text;
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
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

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
